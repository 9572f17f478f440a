import Logging
import ServiceLifecycle

/// Re-reads the policy, calendar, categories and templates now and then, so a change an administrator saves on one
/// server instance reaches the others sharing the database without a restart.
struct SettingsRefresher: Service {
    let settings: LoopSettings
    let interval: Duration
    let logger: Logger

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                do {
                    try await settings.reload()
                } catch {
                    logger.warning("could not reload settings", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
