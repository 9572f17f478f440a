@_spi(Tools) import CloseloopApp
import CloseloopStore
import CloseloopTestSupport
import Foundation

/// Two instances' services on one scratch database, on one clock.
func withTwoInstances(
    _ kind: DatabaseKind,
    _ body: @Sendable (AppServices, AppServices, ManualTimeSource) async throws -> Void
) async throws {
    let scratch = try await ScratchDatabase.make(kind)
    let time = ManualTimeSource(Instants.wednesdayMorning)
    let other = try scratch.openAnother()
    do {
        let first = AppServices(
            database: scratch.database, dataDirectory: scratch.dataDirectory, time: time,
            passwords: Passwords(cost: 4))
        try await first.prepare()
        let second = AppServices(
            database: other, dataDirectory: scratch.dataDirectory, time: time, passwords: Passwords(cost: 4))
        try await second.prepare()
        try await body(first, second, time)
    } catch {
        await other.shutdown()
        await scratch.dispose()
        throw error
    }
    await other.shutdown()
    await scratch.dispose()
}
