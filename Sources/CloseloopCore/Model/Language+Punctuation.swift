import Foundation

/// Punctuation that differs between the languages: a page in English must not carry "、" or "（）" because its
/// pieces were joined in code written with Chinese in mind.
extension Language {
    /// "维修、补偿" or "repair, compensation".
    public func list(_ items: [String]) -> String {
        items.joined(separator: listSeparator)
    }

    /// Between the items of an enumeration: "、" in Chinese, ", " in English.
    public var listSeparator: String {
        switch self {
        case .zhHans: "、"
        case .en: ", "
        }
    }

    /// Between sentences or problems reported together: "；" in Chinese, "; " in English.
    public var clauseSeparator: String {
        switch self {
        case .zhHans: "；"
        case .en: "; "
        }
    }

    /// A remark after a text: "处理人（物流部）" or "handler (Logistics)".
    public func parenthesized(_ text: String, after main: String) -> String {
        switch self {
        case .zhHans: "\(main)（\(text)）"
        case .en: "\(main) (\(text))"
        }
    }

    /// A label and its value: "部门：物流部" or "Department: Logistics".
    public func labelled(_ label: String, _ value: String) -> String {
        switch self {
        case .zhHans: "\(label)：\(value)"
        case .en: "\(label): \(value)"
        }
    }
}
