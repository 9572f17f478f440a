import CSV
import Foundation

// Reads every CSV of the data folder and writes export-shaped rows, with the hand-written parser and with the package.
let folder = URL(fileURLWithPath: CommandLine.arguments[1])
let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".csv") }.sorted()
let texts = try files.map { try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8) }
let megabytes = Double(texts.reduce(0) { $0 + $1.utf8.count }) / 1_000_000

func best(_ body: () throws -> Int) rethrows -> (seconds: Double, count: Int) {
    var fastest = Double.infinity
    var count = 0
    for _ in 0..<3 {
        let start = Date()
        count = try body()
        fastest = min(fastest, Date().timeIntervalSince(start))
    }
    return (fastest, count)
}

func packageRows(_ text: String) throws -> [[String]] {
    let reader = try CSVReader(string: text)
    var rows: [[String]] = []
    while let row = reader.next() { rows.append(row) }
    return rows
}

let handRead = try best { try texts.reduce(0) { $0 + (try HandWritten.parse($1).count) } }
let packageRead = try best { try texts.reduce(0) { $0 + (try packageRows($1).count) } }
print(
    String(
        format: "read  %.1f MB, %d files: hand-written %.2f s (%d rows), package %.2f s (%d rows)",
        megabytes, files.count, handRead.seconds, handRead.count, packageRead.seconds, packageRead.count))

// Export-shaped rows: 22 fields, one a multi-line description with commas and quotes, Chinese and English.
let sample = try packageRows(texts[files.firstIndex(of: "online_shopping_10_cats_zh.csv") ?? 0])
let rows: [[String]] = (0..<100_000).map { index in
    let text = sample[index % sample.count].last ?? ""
    return [
        "2612030\(index)", "2026-12-03T08:00:00Z", "handling", "", "complaint", "phone", "P2", "S3", "物流",
        "service", "wangfang", "周女士", "138****8001", "", "", "", String(text.prefix(30)),
        text + ",\"引用\"\n第二行", "", "4", "0", "2026-12-04T08:00:00Z",
    ]
}
let handWrite = best { rows.reduce(0) { $0 + HandWritten.line($1).utf8.count } }
let packageWrite = try best { () -> Int in
    var bytes = 0
    // Pages of 200 rows, as the export writes them.
    for start in stride(from: 0, to: rows.count, by: 200) {
        let stream = OutputStream(toMemory: ())
        stream.open()
        let writer = try CSVWriter(stream: stream, newline: .crlf)
        for row in rows[start..<min(start + 200, rows.count)] { try writer.write(row: row) }
        stream.close()
        bytes += (stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data)?.count ?? 0
    }
    return bytes
}
print(
    String(
        format: "write %d rows: hand-written %.2f s (%.1f MB), package %.2f s (%.1f MB)", rows.count,
        handWrite.seconds, Double(handWrite.count) / 1_000_000, packageWrite.seconds,
        Double(packageWrite.count) / 1_000_000))
