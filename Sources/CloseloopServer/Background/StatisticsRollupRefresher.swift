import CloseloopApp
import Foundation
import Logging
import ServiceLifecycle

/// Keeps the statistics rollup up to date in the background (`StatisticsRollup`): a round every `interval`, and at
/// once again while a backlog remains (after an import, a migration or a change of time zone).
struct StatisticsRollupRefresher: Service {
    let rollup: StatisticsRollup
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                var backlog = false
                do {
                    let days = try await OperationalMetrics.pass("statistics rollup") { try await rollup.pass() }
                    backlog = days > 0
                    if days > 0 { logger.debug("statistics rolled up", metadata: ["days": "\(days)"]) }
                } catch {
                    logger.error("statistics rollup failed", metadata: ["error": "\(error)"])
                }
                // Between batches of a backlog, a pause long enough for writers to go first.
                guard (try? await Task.sleep(for: backlog ? .milliseconds(200) : interval)) != nil else { return }
            }
        }
    }
}
