import Foundation

/// What the supervisor decides at classification, suggested for a new complaint from the company's own classified
/// complaints (issue 14): category and subcategory, kind, priority, severity and department, each learned by its
/// own classifier from the complaint's subject and description, each with a confidence.
public struct ClassificationModel: Hashable, Codable, Sendable {
    /// What is suggested.
    public enum Target: String, CaseIterable, Codable, Sendable, CodingKeyRepresentable {
        case category, subcategory, kind, priority, severity, department
    }

    /// One classified complaint to learn from.
    public struct Example: Hashable, Sendable {
        public var text: String
        public var labels: [Target: String]

        public init(text: String, labels: [Target: String]) {
            self.text = text
            self.labels = labels
        }
    }

    public private(set) var classifiers: [Target: TextClassifier]
    /// How many classified complaints it learned from.
    public private(set) var examples: Int
    public private(set) var trainedAt: Date

    /// Learns each target from the examples that have it. A subcategory is learned as `category/subcategory`, so a
    /// suggested subcategory always belongs to the suggested category.
    public init(examples: [Example], at trainedAt: Date, training: TextClassifier.Training = .init()) {
        let corpus = TermCorpus(texts: examples.lazy.map(\.text))
        var classifiers: [Target: TextClassifier] = [:]
        for target in Target.allCases {
            var labelled: [(text: Int, label: String)] = []
            for (text, example) in examples.enumerated() {
                guard var label = example.labels[target], !label.isEmpty else { continue }
                if target == .subcategory {
                    guard let category = example.labels[.category] else { continue }
                    label = category + "/" + label
                }
                labelled.append((text, label))
            }
            guard !labelled.isEmpty else { continue }
            classifiers[target] = TextClassifier(corpus: corpus, labelled: labelled, training: training)
        }
        self.classifiers = classifiers
        self.examples = examples.count
        self.trainedAt = trainedAt
    }

    /// The suggestion for a new complaint's text; a target the model cannot tell is left out.
    public func suggest(_ text: String) -> ClassificationSuggestion {
        let terms = TextTerms.counts(of: text).sorted { $0.key < $1.key }
        var values: [Target: TextClassifier.Prediction] = [:]
        for target in Target.allCases where target != .subcategory {
            if let prediction = classifiers[target]?.predictions(sorted: terms).first { values[target] = prediction }
        }
        if let category = values[.category]?.label,
            let best = classifiers[.subcategory]?.predictions(sorted: terms).first(where: {
                $0.label.hasPrefix(category + "/")
            })
        {
            values[.subcategory] = .init(
                label: String(best.label.dropFirst(category.count + 1)), confidence: best.confidence)
        }
        return ClassificationSuggestion(values: values)
    }
}

/// A suggested classification: per target, the label and how sure the model was.
public struct ClassificationSuggestion: Hashable, Codable, Sendable {
    public var values: [ClassificationModel.Target: TextClassifier.Prediction]

    public init(values: [ClassificationModel.Target: TextClassifier.Prediction]) { self.values = values }

    public subscript(_ target: ClassificationModel.Target) -> String? { values[target]?.label }
}
