import Foundation

/// One line of results: a workload at a concurrency on one system, database and size.
struct Measurement: Codable, Sendable {
    var system: String
    var database: String
    var size: Int
    var name: String
    var clients: Int
    var count: Int
    var errors: Int
    var seconds: Double
    /// Requests (or items) per second; nil for single timings.
    var throughput: Double?
    var p50: Double?
    var p95: Double?
    var p99: Double?
    /// A single value with its unit (a pass in ms, memory in MB, size in MB per 100 k complaints…).
    var value: Double?
    var unit: String
    var note: String = ""

    /// The fixed-width line printed as each measurement finishes.
    var line: String {
        func format(_ value: Double?, _ width: Int = 8) -> String {
            guard let value else { return String(repeating: " ", count: width - 1) + "-" }
            let text = value >= 100 ? String(format: "%.0f", value) : String(format: "%.2f", value)
            return String(repeating: " ", count: max(0, width - text.count)) + text
        }
        let label = "\(system)/\(database)".padding(toLength: 16, withPad: " ", startingAt: 0)
        let what = name.padding(toLength: 22, withPad: " ", startingAt: 0)
        let head = "\(label) \(String(size).padding(toLength: 8, withPad: " ", startingAt: 0)) \(what) c=\(clients)"
        if let value {
            return "\(head)  \(format(value, 10)) \(unit)  \(note)"
        }
        return
            "\(head)  n=\(count) err=\(errors)  \(format(throughput)) /s  p50 \(format(p50)) p95 \(format(p95)) "
            + "p99 \(format(p99)) ms  \(note)"
    }
}

/// Latencies of one phase, in milliseconds.
struct Latencies: Sendable {
    var samples: [Double] = []
    var errors = 0
    var errorSamples: [String] = []

    mutating func merge(_ other: Latencies) {
        samples += other.samples
        errors += other.errors
        errorSamples += other.errorSamples.prefix(max(0, 3 - errorSamples.count))
    }

    /// The value below which `p` percent of samples lie (linear interpolation, as bench.py computes it).
    func percentile(_ p: Double) -> Double? {
        guard !samples.isEmpty else { return nil }
        let sorted = samples.sorted()
        let rank = Double(sorted.count - 1) * p / 100
        let low = Int(rank)
        let high = min(low + 1, sorted.count - 1)
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - Double(low))
    }
}
