import CloseloopApp
import CloseloopCore
import Foundation
import Logging
import ServiceLifecycle

/// Retrains the classification model once it is older than `age` (a day by default), looked at every `interval`;
/// every instance looks, and the first to find it old trains (a second one at the same moment trains the same
/// model from the same complaints).
struct SuggestionTraining: Service {
    let suggestions: ClassificationSuggestions
    let age: TimeInterval
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    if let model = try await suggestions.trainIfOlder(than: age) {
                        logger.info(
                            "classification model trained", metadata: ["complaints": "\(model.examples)"])
                    }
                } catch {
                    logger.error("classification training failed", metadata: ["error": "\(error)"])
                }
                guard (try? await Task.sleep(for: interval)) != nil else { return }
            }
        }
    }
}
