import Foundation

/// RFC 4180 CSV: quoted fields may hold commas, quotes ("") and newlines. Enough for spreadsheets and imports.
public enum CSV {
    /// Parses text into rows of fields; a leading UTF-8 BOM is ignored.
    public static func parse(_ text: String) throws -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var iterator = (text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text).makeIterator()
        var line = 1
        var pending: Character? = nil
        func next() -> Character? {
            if let character = pending {
                pending = nil
                return character
            }
            return iterator.next()
        }
        while let character = next() {
            if quoted {
                if character == "\"" {
                    if let following = next() {
                        if following == "\"" {
                            field.append("\"")
                        } else {
                            quoted = false
                            pending = following
                        }
                    } else {
                        quoted = false
                    }
                } else {
                    if character == "\n" || character == "\r\n" { line += 1 }
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"":
                guard field.isEmpty else { throw CSVError.strayQuote(line: line) }
                quoted = true
            case ",":
                row.append(field)
                field = ""
            case "\n", "\r\n", "\r":
                row.append(field)
                rows.append(row)
                row = []
                field = ""
                line += 1
            default:
                field.append(character)
            }
        }
        if quoted { throw CSVError.unterminatedQuote(line: line) }
        if !field.isEmpty || !row.isEmpty {
            row.append(field)
            rows.append(row)
        }
        return rows
    }

    /// One line of CSV (with CRLF, as Excel writes it), quoting where needed.
    public static func line(_ fields: [String]) -> String {
        fields.map { original in
            var field = original
            // A leading = + - @ makes spreadsheets run a formula; a quote mark keeps it text.
            if let first = field.first, "=+-@".contains(first) { field = "'" + field }
            if field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
                return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }
            return field
        }.joined(separator: ",") + "\r\n"
    }

    /// The byte-order mark Excel needs to read UTF-8 (Chinese) text correctly.
    public static let byteOrderMark = "\u{FEFF}"
}

/// Why a CSV file could not be read.
public enum CSVError: Error, Equatable, CustomStringConvertible {
    case strayQuote(line: Int)
    case unterminatedQuote(line: Int)

    public var description: String {
        switch self {
        case .strayQuote(let line): "line \(line): a quote inside an unquoted field"
        case .unterminatedQuote(let line): "line \(line): a quoted field is never closed"
        }
    }
}
