import CloseloopApp
import CloseloopCore
import Foundation

/// The web's words, one table per language (`Web/Strings/<language>.json`). Keys are flat snake_case names so
/// templates can read them as `{{t.key}}`; a test fails when a key is used but missing from either table.
public struct UIStrings: Sendable {
    public let tables: [Language: [String: String]]

    public init(tables: [Language: [String: String]]) {
        self.tables = tables
    }

    /// The tables shipped with the server.
    public static func bundled() throws -> UIStrings {
        guard let folder = Bundle.module.url(forResource: "Strings", withExtension: nil) else {
            throw WebResourceError.missing("Strings")
        }
        var tables: [Language: [String: String]] = [:]
        for language in Language.allCases {
            let data = try Data(contentsOf: folder.appendingPathComponent("\(language.rawValue).json"))
            tables[language] = try JSONDecoder().decode([String: String].self, from: data)
        }
        return UIStrings(tables: tables)
    }

    public func table(_ language: Language) -> [String: String] { tables[language] ?? [:] }

    /// The text for `key`, with `{name}` placeholders filled from `values`. A missing key shows as `⟦key⟧` so it
    /// is visible on the page rather than silently blank.
    public func text(_ key: String, _ language: Language, _ values: [String: String] = [:]) -> String {
        var text = tables[language]?[key] ?? "⟦\(key)⟧"
        for (name, value) in values { text = text.replacingOccurrences(of: "{\(name)}", with: value) }
        return text
    }
}

/// A resource the server ships with could not be found next to the executable.
public enum WebResourceError: Error, CustomStringConvertible {
    case missing(String)
    public var description: String {
        switch self {
        case .missing(let name): "the server's \(name) resources are missing from its installation"
        }
    }
}
