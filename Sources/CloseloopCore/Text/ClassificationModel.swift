import Foundation

/// What the supervisor decides at classification, suggested for a new complaint from the company's own classified
/// complaints (issue 14): category and subcategory, kind, priority, severity and department, each learned by its
/// own classifier from the complaint's subject and description, each with a confidence.
public struct ClassificationModel: Hashable, Sendable {
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

extension ClassificationModel: Codable {
    private enum CodingKeys: String, CodingKey {
        case classifiers, examples, trainedAt
    }

    /// A target's name as a key of the stored classifiers.
    private struct TargetKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }

        init(_ target: Target) { stringValue = target.rawValue }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Each classifier under its target's name. One that learned the same terms as a classifier stored before it
    /// names that one (`termsOf`) instead of repeating its terms: the targets usually learn from the same complaints,
    /// and the terms with their counts were most of the model and of the memory that read it, once per target. A
    /// model stored before this reads as it always did: every classifier whole.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let stored = try container.nestedContainer(keyedBy: TargetKey.self, forKey: .classifiers)
        var classifiers: [Target: TextClassifier] = [:]
        var sharing: [(target: Target, key: TargetKey, source: Target)] = []
        for key in stored.allKeys {
            guard let target = Target(rawValue: key.stringValue) else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: stored, debugDescription: "no target is called \(key.stringValue)")
            }
            let fields = try stored.nestedContainer(keyedBy: TextClassifier.CodingKeys.self, forKey: key)
            if let source = try fields.decodeIfPresent(Target.self, forKey: .termsOf) {
                sharing.append((target, key, source))
            } else {
                classifiers[target] = try stored.decode(TextClassifier.self, forKey: key)
            }
        }
        for (target, key, source) in sharing {
            guard let whole = classifiers[source] else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: stored,
                    debugDescription: "shares the terms of \(source), which is not stored whole")
            }
            classifiers[target] = try TextClassifier(from: stored.superDecoder(forKey: key), sharingTermsOf: whole)
        }
        self.classifiers = classifiers
        examples = try container.decode(Int.self, forKey: .examples)
        trainedAt = try container.decode(Date.self, forKey: .trainedAt)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        var stored = container.nestedContainer(keyedBy: TargetKey.self, forKey: .classifiers)
        var whole: [(target: Target, classifier: TextClassifier)] = []
        for target in Target.allCases {
            guard let classifier = classifiers[target] else { continue }
            if let source = whole.first(where: { classifier.hasSameTerms(as: $0.classifier) }) {
                try classifier.encode(
                    to: stored.superEncoder(forKey: TargetKey(target)), sharingTermsOf: source.target.rawValue)
            } else {
                try stored.encode(classifier, forKey: TargetKey(target))
                whole.append((target, classifier))
            }
        }
        try container.encode(examples, forKey: .examples)
        try container.encode(trainedAt, forKey: .trainedAt)
    }
}

/// A suggested classification: per target, the label and how sure the model was.
public struct ClassificationSuggestion: Hashable, Codable, Sendable {
    public var values: [ClassificationModel.Target: TextClassifier.Prediction]

    public init(values: [ClassificationModel.Target: TextClassifier.Prediction]) { self.values = values }

    public subscript(_ target: ClassificationModel.Target) -> String? { values[target]?.label }
}
