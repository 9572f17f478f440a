import Foundation

/// The languages the product speaks: Simplified Chinese first, English on request.
public enum Language: String, CaseIterable, Codable, Sendable {
    case zhHans = "zh-Hans"
    case en

    /// Picks the best match from an HTTP `Accept-Language` value; Chinese unless English is preferred.
    public static func preferred(fromAcceptLanguage header: String?) -> Language {
        guard let header else { return .zhHans }
        for part in header.split(separator: ",") {
            let tag = part.split(separator: ";")[0].trimmingCharacters(in: .whitespaces).lowercased()
            if tag.hasPrefix("zh") { return .zhHans }
            if tag.hasPrefix("en") { return .en }
        }
        return .zhHans
    }
}

/// A short text in both languages.
public struct LocalizedText: Hashable, Codable, Sendable {
    public var zhHans: String
    public var en: String

    public init(zh: String, en: String) {
        self.zhHans = zh
        self.en = en
    }

    public func text(in language: Language) -> String {
        switch language {
        case .zhHans: zhHans
        case .en: en
        }
    }
}
