import CloseloopApp
import Logging
import ServiceLifecycle

/// Re-reads the policy, calendar, categories and templates now and then, so a change an administrator saves on one
/// server instance reaches the others sharing the database without a restart.
struct SettingsRefresher: Service {
    let settings: LoopSettings
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                // Shutdown cancels the sleep: stop quietly rather than report it as a failure.
                guard (try? await Task.sleep(for: interval)) != nil else { return }
                do {
                    try await OperationalMetrics.pass("settings refresh") { try await settings.reload() }
                } catch {
                    logger.warning("could not reload settings", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
