import ArgumentParser
import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation

/// The classification suggested for new complaints: trained from the company's own classified complaints.
struct SuggestionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suggestions", abstract: "Train the classification suggestions and see how often they are kept.",
        discussion: """
            The server trains the model once a day from the most recent 50,000 classified complaints; `train` does \
            it now (after an import, say). Running servers use the new model within a minute.
            """,
        subcommands: [Train.self, Acceptance.self])

    struct Train: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Train the model now from the classified complaints.")
        @OptionGroup var data: DataOptions

        func run() async throws {
            let model = try await data.run { services in try await services.suggestions.train(by: .commandLine) }
            guard let model else {
                print(
                    "not trained: fewer than \(ClassificationSuggestions.minimumExamples) classified complaints")
                throw ExitCode(1)
            }
            print("trained from \(model.examples) classified complaints")
            for target in ClassificationModel.Target.allCases {
                guard let classifier = model.classifiers[target] else { continue }
                print("  \(target.rawValue): \(classifier.labels.count) values, \(classifier.vocabularySize) terms")
            }
        }
    }

    struct Acceptance: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "How many suggestions made in the last days were kept by the supervisors.")
        @OptionGroup var data: DataOptions
        @Option(name: .long, help: "Days back from now.") var days = 30

        func run() async throws {
            let to = Date()
            let acceptance = try await data.run { services in
                try await services.suggestions.acceptance(from: to.addingTimeInterval(-Double(days) * 86_400), to: to)
            }
            for target in ClassificationModel.Target.allCases {
                let suggested = acceptance.suggested[target] ?? 0
                let rate = acceptance.rate(target).map { String(format: "%.1f %%", $0 * 100) } ?? "—"
                print("\(target.rawValue): \(acceptance.accepted[target] ?? 0) of \(suggested) kept (\(rate))")
            }
        }
    }
}
