import CloseloopApp
import CloseloopStore
import Foundation
import Logging
import ServiceLifecycle

/// Looks for complaints alike arriving together every `interval` (`BurstWatcher`).
struct BurstWatching: Service {
    let watcher: BurstWatcher
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    for burst in try await watcher.pass() {
                        logger.notice(
                            "complaints alike arrived together",
                            metadata: ["complaints": "\(burst.members.count)", "title": "\(burst.title)"])
                    }
                } catch {
                    logger.error("burst watch failed", metadata: ["error": "\(error)"])
                }
                guard (try? await Task.sleep(for: interval)) != nil else { return }
            }
        }
    }
}
