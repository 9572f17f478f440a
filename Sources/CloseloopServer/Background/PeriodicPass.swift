import Logging
import ServiceLifecycle

/// Runs one pass of background work at once and then every `interval` until shutdown; a failed pass is logged and
/// the next one tries again.
struct PeriodicPass: Service {
    /// What the work is, for the log.
    let name: String
    let interval: Duration
    let logger: Logger
    let pass: @Sendable () async throws -> Void

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await pass()
                } catch {
                    logger.error("\(name) failed", metadata: ["error": "\(error)"])
                }
                // Shutdown cancels the sleep: stop quietly rather than report it as a failure.
                guard (try? await Task.sleep(for: interval)) != nil else { return }
            }
        }
    }
}
