import Testing

@testable import CloseloopCore

/// Suggestions learned from labelled texts (issue 14): the classifier learns what tells the labels apart, says how
/// sure it is, gives the same model from the same examples, and says nothing about a text it has no terms for.
@Suite("Text classifier")
struct TextClassifierTests {
    static let training: [(String, String)] = [
        ("快递三天了还没到，物流不更新", "logistics"), ("快递员态度很差，包裹被扔在门口", "logistics"),
        ("物流太慢了，一周才到", "logistics"), ("包裹丢了，快递公司不理", "logistics"),
        ("空调不制冷，师傅修了两次", "repair"), ("热水器漏水，维修师傅不上门", "repair"),
        ("洗衣机坏了，保修期内不给修", "repair"), ("电视黑屏，维修要收费", "repair"),
        ("退款申请一直不处理", "refund"), ("退货后钱还没退回来", "refund"),
        ("要求退款，客服推脱", "refund"), ("退款金额不对，少退了五十元", "refund"),
    ]

    static func model() -> TextClassifier {
        TextClassifier(
            examples: training.map { (TextTerms.counts(of: $0.0), $0.1) }, training: quickTraining)
    }

    static var quickTraining: TextClassifier.Training {
        var training = TextClassifier.Training()
        training.minimumDocuments = 1
        training.epochs = 30
        return training
    }

    @Test(
        "New texts get the label their words point to",
        arguments: [
            ("快递一直没送到", "logistics"), ("冰箱坏了师傅不来修", "repair"), ("退款到现在还没到账", "refund"),
        ])
    func predicts(text: String, label: String) throws {
        let prediction = try #require(Self.model().predict(TextTerms.counts(of: text)))
        #expect(prediction.label == label)
        #expect(prediction.confidence > 0.4)
    }

    @Test("Confidences are probabilities over every label, surest first")
    func confidences() {
        let predictions = Self.model().predictions(TextTerms.counts(of: "快递丢了要求退款"))
        #expect(predictions.map(\.label).sorted() == ["logistics", "refund", "repair"])
        #expect(abs(predictions.map(\.confidence).reduce(0, +) - 1) < 1e-9)
        #expect(predictions == predictions.sorted { $0.confidence > $1.confidence })
        #expect(predictions.last?.label == "repair")
    }

    @Test("The same examples give the same model; a text of unknown terms gets no suggestion")
    func deterministic() {
        #expect(Self.model() == Self.model())
        #expect(Self.model().predictions(TextTerms.counts(of: "Hello world")).isEmpty)
        #expect(Self.model().examples == [4, 4, 4])
    }

    @Test("One label, or none, is learned without dividing by nothing")
    func degenerate() {
        let single = TextClassifier(examples: [(TextTerms.counts(of: "快递没到"), "logistics")])
        #expect(single.predictions(TextTerms.counts(of: "快递")) == [.init(label: "logistics", confidence: 1)])
        let none = TextClassifier(examples: [])
        #expect(none.predictions(TextTerms.counts(of: "快递")).isEmpty && none.labels.isEmpty)
    }
}
