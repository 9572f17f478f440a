import CSV
import Foundation

/// CSV as Closeloop reads and writes it (RFC 4180: quoted fields may hold commas, doubled quotes and newlines),
/// through yaslab/CSV.swift. What is ours is only what spreadsheets need on top: a UTF-8 byte-order mark so Excel reads
/// Chinese text, CRLF line ends, and a quote mark before a leading `= + - @` so a cell is never run as a formula.
public enum CSVFormat {
    /// The byte-order mark Excel needs to read UTF-8 (Chinese) text correctly.
    public static let byteOrderMark = "\u{FEFF}"

    /// The rows of a CSV text; a leading byte-order mark is ignored.
    public static func rows(_ text: String) throws -> [[String]] {
        let reader = try CSVReader(string: text.hasPrefix(byteOrderMark) ? String(text.dropFirst()) : text)
        var rows: [[String]] = []
        while let row = reader.next() { rows.append(row) }
        if let error = reader.error { throw error }
        return rows
    }

    /// The first `limit` records of a CSV file with a header row, keyed by the header. The file is read whole: the
    /// package's stream reader reports an error at the end of every file on Linux, where `InputStream` says it has
    /// bytes available until a read returns none.
    public static func records(inFileAt url: URL, limit: Int = .max) throws -> [[String: String]] {
        var text = try String(contentsOf: url, encoding: .utf8)
        if text.hasPrefix(byteOrderMark) { text.removeFirst() }
        let reader = try CSVReader(string: text, hasHeaderRow: true)
        let header = reader.headerRow ?? []
        var records: [[String: String]] = []
        while records.count < limit, let row = reader.next() {
            var record: [String: String] = [:]
            for (name, value) in zip(header, row) { record[name] = value }
            records.append(record)
        }
        if let error = reader.error { throw error }
        return records
    }

    /// `rows` as CSV text, each row ended by CRLF (as Excel writes it), fields quoted where needed.
    public static func text(_ rows: [[String]]) throws -> String {
        guard !rows.isEmpty else { return "" }
        let stream = OutputStream(toMemory: ())
        stream.open()
        defer { stream.close() }
        let writer = try CSVWriter(stream: stream, newline: .crlf)
        for row in rows { try writer.write(row: row.map(neutralised)) }
        guard let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data else {
            throw CSVError.cannotWriteStream
        }
        return String(decoding: data, as: UTF8.self) + "\r\n"
    }

    /// A leading `= + - @` makes spreadsheets run a formula; a quote mark keeps the cell text.
    static func neutralised(_ field: String) -> String {
        guard let first = field.first, "=+-@".contains(first) else { return field }
        return "'" + field
    }
}
