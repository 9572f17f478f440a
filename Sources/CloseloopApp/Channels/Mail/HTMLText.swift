import Foundation

/// An HTML-only mail body as readable text: paragraphs, line breaks and list items kept as lines, head, style and
/// script dropped, entities decoded, runs of blank lines folded.
enum HTMLText {
    static func text(of html: String) -> String {
        var output = ""
        var index = html.startIndex
        var skipping: String?
        while index < html.endIndex {
            let character = html[index]
            guard character == "<" else {
                if skipping == nil { output.append(character) }
                index = html.index(after: index)
                continue
            }
            guard let close = html[index...].firstIndex(of: ">") else { break }
            let tag = html[html.index(after: index)..<close].lowercased()
            index = html.index(after: close)
            if tag.hasPrefix("!--") {
                // A comment may hold ">" (Outlook's conditional comments): skip to its end.
                if let end = html[index...].range(of: "-->") { index = end.upperBound }
                continue
            }
            let name = String(tag.drop { $0 == "/" }.prefix { $0.isLetter || $0.isNumber })
            let closing = tag.hasPrefix("/")
            if let skipped = skipping {
                if closing && name == skipped { skipping = nil }
                continue
            }
            let skipped: Set<String> = ["head", "style", "script", "title"]
            let blocks: Set<String> = [
                "p", "div", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "ul", "ol",
            ]
            if skipped.contains(name) && !closing && !tag.hasSuffix("/") {
                skipping = name
            } else if name == "br" || blocks.contains(name) {
                output.append("\n")
            } else if name == "li" && !closing {
                output.append("\n• ")
            } else if (name == "td" || name == "th") && closing {
                output.append("\t")
            }
        }
        return fold(entities(output))
    }

    private static let named: [String: String] = [
        "nbsp": " ", "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "ldquo": "“", "rdquo": "”",
        "lsquo": "‘", "rsquo": "’", "mdash": "—", "ndash": "–", "hellip": "…", "middot": "·", "yen": "¥",
        "copy": "©", "reg": "®", "times": "×",
    ]

    private static func entities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var output = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "&", let semicolon = text[index...].prefix(12).firstIndex(of: ";") {
                let entity = String(text[text.index(after: index)..<semicolon])
                var replacement: String?
                if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                    replacement = UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String($0) }
                } else if entity.hasPrefix("#") {
                    replacement = UInt32(entity.dropFirst()).flatMap(Unicode.Scalar.init).map { String($0) }
                } else {
                    replacement = named[entity.lowercased()]
                }
                if let replacement {
                    output += replacement
                    index = text.index(after: semicolon)
                    continue
                }
            }
            output.append(character)
            index = text.index(after: index)
        }
        return output
    }

    /// Trims each line, keeps at most one blank line in a row, and trims the whole.
    private static func fold(_ text: String) -> String {
        var lines: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.replacingOccurrences(of: "\r", with: "").trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty && (lines.last?.isEmpty ?? true) { continue }
            lines.append(trimmed)
        }
        return lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
