import Foundation

/// Reads RFC 4180 CSV (quoted fields may hold commas, doubled quotes and newlines), the form every file in the shared
/// data folder uses. Returns rows as dictionaries keyed by the header.
enum CSVReader {
    static func records(at url: URL) throws -> [[String: String]] {
        let text = try String(contentsOf: url, encoding: .utf8)
        var rows = parse(text)
        guard !rows.isEmpty else { return [] }
        let header = rows.removeFirst()
        return rows.map { fields in
            var record: [String: String] = [:]
            for (index, name) in header.enumerated() where index < fields.count { record[name] = fields[index] }
            return record
        }
    }

    /// Splits text into rows of fields, working on Unicode scalars so multi-byte text passes through untouched.
    static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = String.UnicodeScalarView()
        var quoted = false
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        while let scalar = pending ?? scalars.next() {
            pending = nil
            if quoted {
                if scalar == "\"" {
                    let next = scalars.next()
                    if next == "\"" {
                        field.append("\"")
                    } else {
                        quoted = false
                        pending = next
                    }
                } else {
                    field.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"":
                quoted = true
            case ",":
                row.append(String(field))
                field = String.UnicodeScalarView()
            case "\n":
                row.append(String(field))
                field = String.UnicodeScalarView()
                rows.append(row)
                row = []
            case "\r":
                continue
            default:
                field.append(scalar)
            }
        }
        if !field.isEmpty || !row.isEmpty {
            row.append(String(field))
            rows.append(row)
        }
        return rows
    }
}
