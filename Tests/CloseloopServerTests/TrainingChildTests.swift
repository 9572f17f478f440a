import Foundation
import Testing

@testable import CloseloopServer

/// The server's training child, with a script in place of `closeloop`: what it is asked to run, and what it printed
/// read back from a log file that is gone from the disk before the child even starts. Serialized: the log files of
/// one test's child must not be taken for the other's (no other suite starts a training child).
@Suite("Training child", .serialized)
struct TrainingChildTests {
    /// A stand-in for `closeloop` that prints its arguments, one variable of its environment and the file its output
    /// goes to, then exits with `status`.
    static func script(exiting status: Int32, in folder: URL) throws -> URL {
        let script = folder.appendingPathComponent("closeloop")
        let text = """
            #!/bin/sh
            echo "ran: $*"
            echo "database: $CLOSELOOP_DATABASE" >&2
            echo "log: $(readlink /proc/$$/fd/1)"
            exit \(status)

            """
        try text.write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        return script
    }

    static func logsLeft() throws -> Set<String> {
        Set(
            try FileManager.default.contentsOfDirectory(atPath: FileManager.default.temporaryDirectory.path)
                .filter { $0.hasPrefix("closeloop-training-") })
    }

    @Test("The child is told the age and its parent, gets the environment, and what it printed comes back")
    func printedAndArguments() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("training-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let before = try Self.logsLeft()
        let child = TrainingChild(
            executable: try Self.script(exiting: 0, in: folder), environment: ["CLOSELOOP_DATABASE": "db.sqlite"])
        let printed = try await child.run(olderThan: 60)
        let pid = ProcessInfo.processInfo.processIdentifier
        #expect(printed.contains("ran: suggestions train --if-older-than 60 --parent \(pid)"))
        #expect(printed.contains("database: db.sqlite"))
        // Linux marks an open file removed from its directory: gone before the child ran, so a server killed
        // meanwhile leaves nothing in the temporary directory.
        #expect(printed.contains("closeloop-training-") && printed.contains("(deleted)"), "\(printed)")
        #expect(try Self.logsLeft().subtracting(before).isEmpty, "no log file left behind")
    }

    @Test("A child that fails is reported with its status and what it printed")
    func failed() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("training-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let child = TrainingChild(executable: try Self.script(exiting: 3, in: folder), environment: [:])
        do {
            _ = try await child.run(olderThan: 60)
            Issue.record("a failed child was taken for a training")
        } catch TrainingChildError.failed(let status, let output) {
            #expect(status == 3 && output.contains("ran: suggestions train"))
        }
    }
}
