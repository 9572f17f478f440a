import Foundation
import Testing

@testable import CloseloopCore

/// The classification suggested for a new complaint, learned from the company's classified complaints (issue 14):
/// every target suggested with a confidence, a subcategory only of the suggested category, and the model kept and
/// read back unchanged.
@Suite("Classification suggestions")
struct ClassificationModelTests {
    typealias Target = ClassificationModel.Target

    static let history: [ClassificationModel.Example] = [
        ("快递三天了还没到，物流不更新", "delivery", "late", "P2", "dissatisfied", "logistics"),
        ("物流太慢了，一周才到", "delivery", "late", "P2", "dissatisfied", "logistics"),
        ("包裹丢了，快递公司不理", "delivery", "lost", "P1", "very_dissatisfied", "logistics"),
        ("快递把包裹弄丢了，找不到", "delivery", "lost", "P1", "very_dissatisfied", "logistics"),
        ("空调不制冷，师傅修了两次", "product", "defect", "P1", "very_dissatisfied", "after_sales"),
        ("热水器漏水，差点触电", "product", "safety", "P0", "major", "after_sales"),
        ("洗衣机坏了，保修期内不给修", "product", "defect", "P2", "dissatisfied", "after_sales"),
        ("电热水器漏电，家里老人被电了一下", "product", "safety", "P0", "major", "after_sales"),
    ].map { text, category, subcategory, priority, severity, department in
        ClassificationModel.Example(
            text: text,
            labels: [
                .category: category, .subcategory: subcategory, .priority: priority, .severity: severity,
                .department: department, .kind: "complaint",
            ])
    }

    static func model() -> ClassificationModel {
        var training = TextClassifier.Training()
        training.minimumDocuments = 1
        training.epochs = 40
        return ClassificationModel(
            examples: history, at: Date(timeIntervalSince1970: 1_776_000_000), training: training)
    }

    @Test("A new complaint gets every target suggested, each with a confidence")
    func suggests() throws {
        let suggestion = Self.model().suggest("快递丢了我的包裹")
        #expect(suggestion[.category] == "delivery" && suggestion[.department] == "logistics")
        #expect(suggestion[.subcategory] == "lost")
        #expect(suggestion[.kind] == "complaint")
        let confidence = try #require(suggestion.values[.category]?.confidence)
        #expect(confidence > 0.5 && confidence <= 1)
        let safety = Self.model().suggest("热水器漏电很危险")
        #expect(safety[.category] == "product" && safety[.priority] == "P0" && safety[.severity] == "major")
    }

    @Test("A subcategory is only ever one of the suggested category's")
    func subcategoryBelongs() {
        let model = Self.model()
        for text in ["物流慢", "漏水", "师傅不修", "快递丢了", "空调坏了还漏电"] {
            let suggestion = model.suggest(text)
            guard let category = suggestion[.category], let subcategory = suggestion[.subcategory] else { continue }
            let known = Self.history.filter { $0.labels[.category] == category }.compactMap { $0.labels[.subcategory] }
            #expect(known.contains(subcategory), "\(text): \(category)/\(subcategory)")
        }
    }

    @Test("Kept and read back, the model suggests exactly the same")
    func roundTrip() throws {
        let model = Self.model()
        let data = try JSONEncoder().encode(model)
        let read = try JSONDecoder().decode(ClassificationModel.self, from: data)
        #expect(read == model)
        #expect(read.suggest("快递丢了") == model.suggest("快递丢了"))
        #expect(read.examples == 8)
    }

    /// The model as it was stored before classifiers shared their terms: every classifier whole.
    private struct StoredWhole: Encodable {
        var classifiers: [Target: TextClassifier]
        var examples: Int
        var trainedAt: Date
    }

    /// The stored classifiers, each as a JSON object.
    private static func storedClassifiers(_ data: Data) throws -> [String: [String: Any]] {
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require(object["classifiers"] as? [String: [String: Any]])
    }

    @Test("Targets that learned from the same complaints store their terms once, and read back unchanged")
    func sharedTerms() throws {
        let model = Self.model()
        let data = try JSONEncoder().encode(model)
        let stored = try Self.storedClassifiers(data)
        #expect(Set(stored.keys) == Set(Target.allCases.map(\.rawValue)))
        #expect(stored["category"]?["terms"] != nil)
        for target in Target.allCases where target != .category {
            #expect(stored[target.rawValue]?["termsOf"] as? String == "category")
            #expect(stored[target.rawValue]?["terms"] == nil)
            #expect(stored[target.rawValue]?["weights"] != nil)
        }
        let whole = try JSONEncoder().encode(
            StoredWhole(classifiers: model.classifiers, examples: model.examples, trainedAt: model.trainedAt))
        #expect(data.count < whole.count * 3 / 4)
        let read = try JSONDecoder().decode(ClassificationModel.self, from: data)
        #expect(read == model)
        for text in ["快递丢了", "热水器漏电", "空调坏了修不好"] { #expect(read.suggest(text) == model.suggest(text)) }
    }

    @Test("A model stored with every classifier whole, as before, reads back unchanged")
    func storedWhole() throws {
        let model = Self.model()
        let data = try JSONEncoder().encode(
            StoredWhole(classifiers: model.classifiers, examples: model.examples, trainedAt: model.trainedAt))
        #expect(try Self.storedClassifiers(data).values.allSatisfy { $0["terms"] != nil })
        #expect(try JSONDecoder().decode(ClassificationModel.self, from: data) == model)
    }

    @Test("A target that learned from fewer complaints keeps its own terms")
    func ownTerms() throws {
        var history = Self.history
        for index in [0, 2, 4] { history[index].labels[.department] = nil }
        var training = TextClassifier.Training()
        training.minimumDocuments = 1
        let model = ClassificationModel(
            examples: history, at: Date(timeIntervalSince1970: 1_800_000_000), training: training)
        let data = try JSONEncoder().encode(model)
        let stored = try Self.storedClassifiers(data)
        #expect(stored["department"]?["terms"] != nil)
        #expect(stored["department"]?["termsOf"] == nil)
        #expect(stored["priority"]?["termsOf"] as? String == "category")
        let read = try JSONDecoder().decode(ClassificationModel.self, from: data)
        #expect(read == model)
        #expect(read.suggest("快递丢了") == model.suggest("快递丢了"))
    }

    @Test("A classifier sharing the terms of one not stored whole is refused as corrupt")
    func missingSource() throws {
        let data = try JSONEncoder().encode(Self.model())
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var classifiers = try #require(object["classifiers"] as? [String: Any])
        classifiers["category"] = nil
        object["classifiers"] = classifiers
        let damaged = try JSONSerialization.data(withJSONObject: object)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(ClassificationModel.self, from: damaged) }
    }

    @Test("Without classified complaints nothing is suggested")
    func empty() {
        let model = ClassificationModel(examples: [], at: Date(timeIntervalSince1970: 0))
        #expect(model.suggest("快递丢了").values.isEmpty)
    }
}
