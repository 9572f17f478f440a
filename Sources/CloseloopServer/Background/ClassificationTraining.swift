import CloseloopApp
import CloseloopCore
import Foundation
import Logging

/// Where the server's daily training of the classification model runs (issue 14's model, issue 16's memory).
public enum ClassificationTraining: Sendable {
    /// In the server's own process: what the tests' in-memory databases need, since no other process can open them.
    case inProcess
    /// In a `closeloop suggestions train --if-older-than` child on the same database (`TrainingChild`). Training
    /// 50,000 complaints peaks near 400 MB, and glibc kept most of it after the server trained in-process (316 MB
    /// where it idles at 60 MB); a child hands all of it back when it exits, and the server only reads the new model.
    case childProcess(TrainingChild)

    /// A model older than this is trained again.
    static let age = 86_400

    /// One look: trains when a model is due and logs what came of it.
    func pass(_ suggestions: ClassificationSuggestions, logger: Logger) async throws {
        switch self {
        case .inProcess:
            if let model = try await suggestions.trainIfOlder(than: TimeInterval(Self.age)) {
                FreedMemory.returnToSystem()
                logger.info("classification model trained", metadata: ["complaints": "\(model.examples)"])
            }
        case .childProcess(let child):
            // Asked here first, so the child (a process start and a database opened) runs only about once a day.
            guard try await suggestions.trainingDue(olderThan: TimeInterval(Self.age)) else { return }
            let printed: String
            do {
                printed = try await child.run(olderThan: Self.age)
            } catch is CancellationError {
                return  // the server is stopping, and stopped the child with it
            }
            if let model = try await suggestions.reload() {
                FreedMemory.returnToSystem()  // the stored model's text, decoded and dropped
                logger.info(
                    "classification model trained in a separate process",
                    metadata: ["complaints": "\(model.examples)"])
            } else {
                // Another instance trained first, or the complaints went below the minimum meanwhile.
                logger.info("classification training found nothing to do", metadata: ["output": "\(printed)"])
            }
        }
    }
}
