/// Runs `body` for at most `limit`. Past it, `onTimeout` runs (to close what `body` waits on, where cancellation
/// alone would not wake it: a NIO channel) and `body` is cancelled (a `Subprocess` run is killed); the result is then
/// nil. An error `body` throws first comes through.
func withTimeLimit<Value: Sendable>(
    _ limit: Duration, onTimeout: @escaping @Sendable () -> Void = {},
    _ body: @escaping @Sendable () async throws -> Value
) async throws -> Value? {
    try await withThrowingTaskGroup(of: Value?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            onTimeout()
            return nil
        }
        defer { group.cancelAll() }
        return try await group.next() ?? nil
    }
}
