import ArgumentParser
import Foundation

/// `closeloop-bench`: generates and bulk-loads complaints from real texts, and measures Closeloop (and Request
/// Tracker, side by side) on SQLite and PostgreSQL.
@main
struct CloseloopBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "closeloop-bench",
        abstract: "Benchmarks for Closeloop: generate and load complaints, measure, compare with Request Tracker.",
        subcommands: [Generate.self, Run.self, Quality.self])

}

/// Prints a line and flushes it, so a long run written to a log file can be followed with `tail -f` (stdout is
/// block-buffered when it is not a terminal).
func emit(_ line: String) {
    print(line)
    fflush(nil)
}
