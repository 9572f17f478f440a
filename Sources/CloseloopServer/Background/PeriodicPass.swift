import CloseloopApp
import Logging
import ServiceLifecycle

/// Runs one pass of background work at once and then every `interval` (asked again after each pass, so a changed
/// setting takes effect without a restart) until shutdown; a failed pass is logged and the next one tries again.
struct PeriodicPass: Service {
    /// What the work is, for the log.
    let name: String
    let interval: @Sendable () async -> Duration
    let logger: Logger
    let pass: @Sendable () async throws -> Void

    init(
        name: String, interval: @escaping @Sendable () async -> Duration, logger: Logger,
        pass: @escaping @Sendable () async throws -> Void
    ) {
        self.name = name
        self.interval = interval
        self.logger = logger
        self.pass = pass
    }

    init(name: String, interval: Duration, logger: Logger, pass: @escaping @Sendable () async throws -> Void) {
        self.init(name: name, interval: { interval }, logger: logger, pass: pass)
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await OperationalMetrics.pass(name) { try await pass() }
                } catch {
                    logger.error("\(name) failed", metadata: ["error": "\(error)"])
                }
                // Shutdown cancels the sleep: stop quietly rather than report it as a failure.
                guard await pause() else { return }
            }
        }
    }

    /// Waits until the interval has passed since the last pass, looking again at the interval every few seconds so a
    /// shortened one takes effect at once; false when shutdown cut it short.
    private func pause() async -> Bool {
        let clock = ContinuousClock()
        let start = clock.now
        while true {
            let left = await interval() - (clock.now - start)
            guard left > .zero else { return true }
            guard (try? await Task.sleep(for: min(left, .seconds(5)))) != nil else { return false }
        }
    }
}
