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
        static let configuration = CommandConfiguration(
            abstract: "Train the model now from the classified complaints.",
            discussion: """
                With --if-older-than it is what the server's daily training runs (in a process of its own, so that \
                the server does not keep the training's memory): it trains only when the current model is older, \
                and finding nothing to do is not an error.
                """)
        @OptionGroup var data: DataOptions
        @Option(
            name: .long,
            help: ArgumentHelp(
                "Train only when there is no model or the current one is older than this.", valueName: "seconds"))
        var ifOlderThan: Int?
        @Option(
            name: .long,
            help: ArgumentHelp(
                "Stop when this process is no longer the parent (the server's own training child).",
                valueName: "pid", visibility: .hidden))
        var parent: Int32?

        func validate() throws {
            if let ifOlderThan, ifOlderThan < 0 { throw ValidationError("--if-older-than cannot be negative.") }
            if let parent, parent <= 0 { throw ValidationError("--parent must be a process id.") }
        }

        func run() async throws {
            if let parent { ParentWatch.start(parent: parent) }
            if let age = ifOlderThan {
                let model = try await data.run { services in
                    try await services.suggestions.trainIfOlder(than: TimeInterval(age))
                }
                guard let model else {
                    print(
                        "nothing to train: the model is younger than \(age) s, another instance is training, or "
                            + "fewer than \(ClassificationSuggestions.minimumExamples) complaints are classified")
                    return
                }
                Self.report(model)
                return
            }
            let model = try await data.run { services in try await services.suggestions.train(by: .commandLine) }
            guard let model else {
                print(
                    "not trained: fewer than \(ClassificationSuggestions.minimumExamples) classified complaints")
                throw ExitCode(1)
            }
            Self.report(model)
        }

        private static func report(_ model: ClassificationModel) {
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
