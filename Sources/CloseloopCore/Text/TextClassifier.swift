import Foundation

/// A label for a text, learned from texts already labelled (a complaint's category from the company's own
/// classified complaints): multinomial logistic regression over TF-IDF weighted terms, trained by stochastic gradient
/// descent in a fixed order, so the same examples always give the same model. Its probabilities read as
/// confidences. Small and fast: trained in seconds on a hundred thousand complaints, a prediction in microseconds.
public struct TextClassifier: Hashable, Sendable {
    /// A label with how sure the model is of it, 0…1.
    public struct Prediction: Hashable, Codable, Sendable {
        public var label: String
        public var confidence: Double

        public init(label: String, confidence: Double) {
            self.label = label
            self.confidence = confidence
        }
    }

    /// How the model is trained.
    public struct Training: Hashable, Sendable {
        /// Passes over the examples.
        public var epochs = 6
        /// The first pass's step; each later pass takes a smaller one. (Chosen among 0.5 and 1.0 on the Chinese
        /// shopping reviews of BENCHMARKS.md; 1.0 was better by a few thousandths.)
        public var learningRate = 1.0
        /// The pull of every weight towards zero, against learning the training texts by heart.
        public var regularization = 1e-6
        /// Terms in fewer texts than this are dropped: they cannot generalise and would only grow the model.
        public var minimumDocuments = 2

        public init() {}
    }

    /// The labels, in the order of each term's weights.
    public private(set) var labels: [String]
    /// Each known term's row in `weights`.
    private var vocabulary: [String: Int]
    /// One row of a weight per label for each term of the vocabulary.
    private var weights: [Float]
    private var bias: [Double]
    /// How many training texts held each kept term: what a similarity lookup weighs terms by.
    public private(set) var statistics: TermStatistics
    /// Each vocabulary row's `statistics.idf`, so a prediction looks each term up once, not twice.
    private var idfs: [Double]
    /// How many training texts each label had.
    public private(set) var examples: [Int]

    /// Learns from `examples` (term counts and label).
    public init(examples: [(terms: [String: Int], label: String)], training: Training = Training()) {
        self.init(
            corpus: TermCorpus(examples.lazy.map(\.terms)),
            labelled: examples.enumerated().map { (text: $0, label: $1.label) }, training: training)
    }

    /// Learns from the corpus's `labelled` texts. Each text's weights are worked out again in every pass rather than
    /// kept, so training holds little more than the corpus: the same arithmetic in the same order either way.
    public init(corpus: TermCorpus, labelled: [(text: Int, label: String)], training: Training = Training()) {
        var documents = [Int32](repeating: 0, count: corpus.terms.count)
        for example in labelled { corpus.forEachTerm(in: example.text) { number, _ in documents[number] += 1 } }
        // Terms in too few texts are dropped; the rest are numbered in their order, as rows of `weights`.
        var rowOf = [Int](repeating: -1, count: corpus.terms.count)
        var vocabulary: [String: Int] = [:]
        var frequencies: [String: Int] = [:]
        for number in documents.indices where Int(documents[number]) >= training.minimumDocuments {
            rowOf[number] = vocabulary.count
            vocabulary[corpus.terms[number]] = vocabulary.count
            frequencies[corpus.terms[number]] = Int(documents[number])
        }
        documents = []
        let statistics = TermStatistics(documents: labelled.count, frequencies: frequencies)
        let idfs = Self.idfs(of: vocabulary, in: statistics)
        let labels = Array(Set(labelled.map(\.label))).sorted()
        let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        let count = labels.count
        // A text's known terms as `statistics.vector(_:)` weighs them (log-scaled count times IDF, scaled to length
        // 1), summed in the terms' order so that the same examples give the same model to the last bit.
        var known: [(start: Int, value: Double)] = []
        func weigh(_ text: Int) {
            known.removeAll(keepingCapacity: true)
            var squares = 0.0
            corpus.forEachTerm(in: text) { number, occurrences in
                let row = rowOf[number]
                guard row >= 0 else { return }
                let weight = (1 + log(Double(occurrences))) * idfs[row]
                known.append((row * count, weight))
                squares += weight * weight
            }
            let length = squares.squareRoot()
            if length > 0 { for place in known.indices { known[place].value /= length } }
        }
        let targets = labelled.map { index[$0.label]! }
        var weights = [Double](repeating: 0, count: vocabulary.count * count)
        var bias = [Double](repeating: 0, count: count)
        var random = SplitMix64(seed: 0x636C_6F73_656C_6F6F)
        var probabilities = [Double](repeating: 0, count: count)
        var order = Array(labelled.indices)
        for epoch in 0..<training.epochs where count > 1 {
            order.shuffle(using: &random)
            let rate = training.learningRate / Double(1 + epoch)
            let shrink = 1 - rate * training.regularization
            for example in order {
                weigh(labelled[example].text)
                // Softmax of the scores, then a step against the error on each term the text holds.
                for label in 0..<count { probabilities[label] = bias[label] }
                for (start, value) in known {
                    for label in 0..<count { probabilities[label] += weights[start + label] * value }
                }
                let top = probabilities.max() ?? 0
                var sum = 0.0
                for label in 0..<count {
                    probabilities[label] = exp(probabilities[label] - top)
                    sum += probabilities[label]
                }
                for label in 0..<count { probabilities[label] /= sum }
                probabilities[targets[example]] -= 1
                for (start, value) in known {
                    for label in 0..<count {
                        weights[start + label] = weights[start + label] * shrink - rate * probabilities[label] * value
                    }
                }
                for label in 0..<count { bias[label] -= rate * probabilities[label] }
            }
        }
        self.labels = labels
        self.vocabulary = vocabulary
        self.weights = weights.map(Float.init)
        self.bias = bias
        self.statistics = statistics
        self.idfs = idfs
        self.examples = labels.map { label in labelled.count { $0.label == label } }
    }

    private static func idfs(of vocabulary: [String: Int], in statistics: TermStatistics) -> [Double] {
        var idfs = [Double](repeating: 0, count: vocabulary.count)
        for (term, row) in vocabulary { idfs[row] = statistics.idf(term) }
        return idfs
    }

    /// Every label for `terms`, surest first; empty when the model has no labels or knows none of the terms.
    public func predictions(_ terms: [String: Int]) -> [Prediction] {
        predictions(sorted: terms.sorted { $0.key < $1.key })
    }

    /// `predictions(_:)` of terms already in order, so that several classifiers of one text sort it once. Every sum
    /// runs in the terms' order: a dictionary's order differs between two equal dictionaries, and with it the last
    /// bit of a confidence.
    public func predictions(sorted terms: [(key: String, value: Int)]) -> [Prediction] {
        guard labels.count > 1 else { return labels.map { Prediction(label: $0, confidence: 1) } }
        let count = labels.count
        // The known terms' TF-IDF weights, as `statistics.vector(_:)` weighs them.
        var known: [(start: Int, weight: Double)] = []
        known.reserveCapacity(terms.count)
        var squares = 0.0
        for (term, occurrences) in terms {
            guard let row = vocabulary[term] else { continue }
            let weight = (1 + log(Double(occurrences))) * idfs[row]
            known.append((row * count, weight))
            squares += weight * weight
        }
        guard !known.isEmpty else { return [] }
        let length = squares.squareRoot()
        var scores = bias
        for (start, weight) in known {
            let value = length > 0 ? weight / length : weight
            for label in 0..<count { scores[label] += Double(weights[start + label]) * value }
        }
        let top = scores.max() ?? 0
        let exps = scores.map { exp($0 - top) }
        let sum = exps.reduce(0, +)
        return zip(labels, exps).map { Prediction(label: $0, confidence: $1 / sum) }
            .sorted { $0.confidence != $1.confidence ? $0.confidence > $1.confidence : $0.label < $1.label }
    }

    /// The surest label, or nil when the model knows none of the terms.
    public func predict(_ terms: [String: Int]) -> Prediction? { predictions(terms).first }

    /// How many terms the model holds.
    public var vocabularySize: Int { vocabulary.count }
}

extension TextClassifier: Codable {
    enum CodingKeys: String, CodingKey {
        case labels, terms, frequencies, documents, weights, bias, examples
        /// Where a classifier stored beside others names the one whose terms it shares (`ClassificationModel`).
        case termsOf
    }

    /// Stored compactly: the terms in row order with their document counts, and the weights as little-endian
    /// 32-bit floats (a model of 100,000 terms and ten labels is about 5 MB, not 20 MB of JSON numbers).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let terms = try container.decode([String].self, forKey: .terms)
        let frequencies = try container.decode([Int].self, forKey: .frequencies)
        guard terms.count == frequencies.count else {
            throw DecodingError.dataCorruptedError(
                forKey: .frequencies, in: container, debugDescription: "one frequency per term")
        }
        let vocabulary = Dictionary(uniqueKeysWithValues: terms.enumerated().map { ($1, $0) })
        let statistics = TermStatistics(
            documents: try container.decode(Int.self, forKey: .documents),
            frequencies: Dictionary(uniqueKeysWithValues: zip(terms, frequencies)))
        try self.init(
            from: container, vocabulary: vocabulary, statistics: statistics,
            idfs: Self.idfs(of: vocabulary, in: statistics))
    }

    /// Reads what is a classifier's own (labels, weights, bias, examples) and takes the terms of `other`, which it
    /// was stored as sharing: the same dictionaries and arrays, held once for every classifier that shares them.
    init(from decoder: any Decoder, sharingTermsOf other: TextClassifier) throws {
        try self.init(
            from: try decoder.container(keyedBy: CodingKeys.self), vocabulary: other.vocabulary,
            statistics: other.statistics, idfs: other.idfs)
    }

    private init(
        from container: KeyedDecodingContainer<CodingKeys>, vocabulary: [String: Int], statistics: TermStatistics,
        idfs: [Double]
    ) throws {
        labels = try container.decode([String].self, forKey: .labels)
        let bytes = try container.decode(Data.self, forKey: .weights)
        guard bytes.count == vocabulary.count * labels.count * 4 else {
            throw DecodingError.dataCorruptedError(
                forKey: .weights, in: container, debugDescription: "one weight per term and label")
        }
        weights = stride(from: 0, to: bytes.count, by: 4).map { offset in
            var bits: UInt32 = 0
            for index in 0..<4 { bits |= UInt32(bytes[bytes.startIndex + offset + index]) << (8 * index) }
            return Float(bitPattern: bits)
        }
        bias = try container.decode([Double].self, forKey: .bias)
        examples = try container.decode([Int].self, forKey: .examples)
        self.vocabulary = vocabulary
        self.statistics = statistics
        self.idfs = idfs
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        let terms = vocabulary.sorted { $0.value < $1.value }.map(\.key)
        try container.encode(terms, forKey: .terms)
        try container.encode(terms.map { statistics.frequencies[$0] ?? 0 }, forKey: .frequencies)
        try container.encode(statistics.documents, forKey: .documents)
        try encodeOwn(to: &container)
    }

    /// Writes what is this classifier's own, and the name under which the classifier whose terms it shares is stored.
    func encode(to encoder: any Encoder, sharingTermsOf name: String) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .termsOf)
        try encodeOwn(to: &container)
    }

    private func encodeOwn(to container: inout KeyedEncodingContainer<CodingKeys>) throws {
        try container.encode(labels, forKey: .labels)
        var bytes = Data(capacity: weights.count * 4)
        for weight in weights {
            let bits = weight.bitPattern
            for index in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: bits >> (8 * index))) }
        }
        try container.encode(bytes, forKey: .weights)
        try container.encode(bias, forKey: .bias)
        try container.encode(examples, forKey: .examples)
    }

    /// Whether `other` learned the very same terms from the same number of texts, so one copy of them serves both:
    /// each target learns from the same classified complaints unless some lack its label.
    func hasSameTerms(as other: TextClassifier) -> Bool {
        statistics == other.statistics && vocabulary == other.vocabulary
    }
}
