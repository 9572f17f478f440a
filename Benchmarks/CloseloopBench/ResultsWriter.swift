import Foundation

/// Writes a run's measurements as markdown (one table) and JSON to the results folder, named by date and databases.
struct ResultsWriter {
    let plan: BenchPlan
    let measurements: [Measurement]
    let problems: [String]
    let started: Date

    func write() throws {
        try FileManager.default.createDirectory(at: plan.resultsDirectory, withIntermediateDirectories: true)
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd-HHmm"
        formatter.timeZone = TimeZone(identifier: "UTC")
        let stem =
            formatter.string(from: started) + "-" + plan.databases.map(\.kind).joined(separator: "+")
            + (plan.quick ? "-quick" : "") + plan.peers.map { "-\($0.rawValue)" }.joined()
        let markdown = plan.resultsDirectory.appendingPathComponent(stem + ".md")
        let json = plan.resultsDirectory.appendingPathComponent(stem + ".json")
        try markdownText().write(to: markdown, atomically: true, encoding: .utf8)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(measurements).write(to: json)
        print("results: \(markdown.path), \(json.path)")
    }

    private func markdownText() -> String {
        func number(_ value: Double?) -> String {
            guard let value else { return "" }
            return value >= 100 ? String(format: "%.0f", value) : String(format: "%.2f", value)
        }
        var lines = [
            "# closeloop-bench \(plan.quick ? "quick " : "")run, \(ISO8601DateFormatter().string(from: started))", "",
            "Sizes \(plan.sizes.map(String.init).joined(separator: ", ")); clients \(plan.concurrency.map(String.init).joined(separator: ", ")). "
                + "The load generator shares the machine's \(ProcessInfo.processInfo.activeProcessorCount) cores with the server and the database.",
            "",
            "| system | db | size | measurement | clients | n | errors | per s | p50 ms | p95 ms | p99 ms | value | unit | note |",
            "|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
        ]
        for m in measurements {
            lines.append(
                "| \(m.system) | \(m.database) | \(m.size) | \(m.name) | \(m.clients) | \(m.count) | \(m.errors) | "
                    + "\(number(m.throughput)) | \(number(m.p50)) | \(number(m.p95)) | \(number(m.p99)) | "
                    + "\(number(m.value)) | \(m.value == nil ? "" : m.unit) | \(m.note) |")
        }
        if !problems.isEmpty {
            lines += ["", "## Problems", ""] + problems.map { "- \($0)" }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
