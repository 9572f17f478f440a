/// The two-level complaint taxonomy of SPEC §3 (category → subcategories), editable by an administrator.
public struct CategoryTaxonomy: Hashable, Codable, Sendable {
    public struct Entry: Hashable, Codable, Sendable {
        /// A stable code stored on complaints (`delivery`, `delivery.damage`).
        public var code: String
        public var name: LocalizedText
        public var subcategories: [Entry]

        public init(code: String, name: LocalizedText, subcategories: [Entry] = []) {
            self.code = code
            self.name = name
            self.subcategories = subcategories
        }
    }

    public var categories: [Entry]

    public init(categories: [Entry]) {
        self.categories = categories
    }

    /// The category with this code.
    public func category(_ code: String) -> Entry? {
        categories.first { $0.code == code }
    }

    /// What a choice among categories and subcategories (one list of codes, as the forms offer it) means: a
    /// subcategory's code names its category too.
    public func choice(_ code: String) -> (category: String, subcategory: String?) {
        if let parent = categories.first(where: { $0.subcategories.contains { $0.code == code } }) {
            return (parent.code, code)
        }
        return (code, nil)
    }

    /// The display name of a category or subcategory code, or the code itself when it is not (or no longer) listed.
    public func name(of code: String, in language: Language) -> String {
        for category in categories {
            if category.code == code { return category.name.text(in: language) }
            if let sub = category.subcategories.first(where: { $0.code == code }) { return sub.name.text(in: language) }
        }
        return code
    }

    /// The display name of a subcategory keyed within its category ("delivery/damage" → "物流配送 / 货损"), as the
    /// statistics key the second level.
    public func name(ofSubcategoryKey key: String, in language: Language) -> String {
        let parts = key.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return name(of: key, in: language) }
        let sub =
            category(parts[0])?.subcategories.first { $0.code == parts[1] }?.name.text(in: language) ?? parts[1]
        return name(of: parts[0], in: language) + " / " + sub
    }

    /// Configuration problems, each a sentence; empty when the taxonomy can be used.
    public func problems() -> [String] {
        var problems: [String] = []
        var seen: Set<String> = []
        if categories.isEmpty { problems.append("the taxonomy has no categories") }
        for entry in categories + categories.flatMap(\.subcategories) {
            if entry.code.isEmpty || entry.code.contains(where: { $0.isWhitespace }) {
                problems.append("the code \"\(entry.code)\" is empty or contains spaces")
            }
            if !seen.insert(entry.code).inserted { problems.append("the code \(entry.code) is used twice") }
            if entry.name.zhHans.isEmpty || entry.name.en.isEmpty {
                problems.append("\(entry.code) needs a name in both languages")
            }
        }
        return problems
    }

    /// SPEC §3's categories with common subcategories.
    public static let standard = CategoryTaxonomy(categories: [
        Entry(
            code: "quality", name: LocalizedText(zh: "产品质量", en: "product quality"),
            subcategories: [
                Entry(code: "quality.defect", name: LocalizedText(zh: "功能故障", en: "defect")),
                Entry(code: "quality.appearance", name: LocalizedText(zh: "外观瑕疵", en: "appearance")),
            ]),
        Entry(code: "service", name: LocalizedText(zh: "服务态度", en: "service attitude")),
        Entry(code: "billing", name: LocalizedText(zh: "价格/计费", en: "price and billing")),
        Entry(
            code: "delivery", name: LocalizedText(zh: "配送/物流", en: "delivery and logistics"),
            subcategories: [
                Entry(code: "delivery.damage", name: LocalizedText(zh: "破损", en: "damage")),
                Entry(code: "delivery.shortage", name: LocalizedText(zh: "缺件少件", en: "shortage")),
                Entry(code: "delivery.delay", name: LocalizedText(zh: "延误", en: "delay")),
            ]),
        Entry(code: "after_sales", name: LocalizedText(zh: "售后维修", en: "after-sales and repair")),
        Entry(code: "claims", name: LocalizedText(zh: "理赔/赔偿", en: "claims and compensation")),
        Entry(code: "finance", name: LocalizedText(zh: "财务/发票", en: "finance and invoices")),
        Entry(code: "counterfeit", name: LocalizedText(zh: "假冒伪劣", en: "counterfeit")),
        Entry(code: "information", name: LocalizedText(zh: "信息错误", en: "information error")),
        Entry(code: "other", name: LocalizedText(zh: "其他", en: "other")),
    ])
}
