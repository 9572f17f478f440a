import Foundation
import NIOCore
import NIOHTTP1

/// The real server, `closeloop serve`, run as a child process on a free port against the benchmark's database.
final class ServerProcess: Sendable {
    let process: Process
    let port: Int
    let baseURL: String

    private init(process: Process, port: Int) {
        self.process = process
        self.port = port
        baseURL = "http://127.0.0.1:\(port)"
    }

    /// Starts the server and waits until `/api/v1/health` answers (at most a minute: migrations run first).
    static func start(
        executable: URL, database: BenchDatabase, dataDirectory: URL, log: URL, session: HTTPSession
    ) async throws -> ServerProcess {
        let port = try FreePort.find()
        let process = Process()
        process.executableURL = executable
        process.arguments = [
            "serve", "--database", database.argument, "--data-dir", dataDirectory.path, "--port", String(port),
            "--log-level", "warning",
        ]
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let server = ServerProcess(process: process, port: port)
        ChildServers.started(server)
        for _ in 0..<600 {
            guard process.isRunning else {
                throw BenchError.failed("closeloop serve exited with \(process.terminationStatus); see \(log.path)")
            }
            if await server.isHealthy(session) { return server }
            try await Task.sleep(for: .milliseconds(100))
        }
        server.stop()
        throw BenchError.failed("closeloop serve did not answer /api/v1/health within a minute; see \(log.path)")
    }

    private func isHealthy(_ session: HTTPSession) async -> Bool {
        let answer = try? await session.send(.GET, "\(baseURL)/api/v1/health", timeout: .seconds(1))
        return answer?.status == 200
    }

    /// Resident memory now and at its peak, in MB, from /proc/PID/status.
    func memory() -> (rss: Double, peak: Double)? {
        ProcessMemory.of(pid: process.processIdentifier)
    }

    /// SIGTERM, then waits for a graceful exit (SIGKILL after 20 s).
    func stop() {
        defer { ChildServers.stopped(self) }
        guard process.isRunning else { return }
        process.terminate()
        for _ in 0..<200 where process.isRunning { usleep(100_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}

/// VmRSS and VmHWM of a process, in MB.
enum ProcessMemory {
    static func of(pid: Int32) -> (rss: Double, peak: Double)? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        func field(_ name: String) -> Double? {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else {
                return nil
            }
            let kilobytes = line.split(separator: " ").dropFirst().first.flatMap { Double($0) }
            return kilobytes.map { $0 / 1024 }
        }
        guard let rss = field("VmRSS"), let peak = field("VmHWM") else { return nil }
        return (rss, peak)
    }
}

/// A TCP port nobody listens on: bind port 0 and read what the kernel chose.
enum FreePort {
    static func find() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchError.failed("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 }
        }
        guard bound else { throw BenchError.failed("bind() failed") }
        let named = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) == 0 }
        }
        guard named else { throw BenchError.failed("getsockname() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Runs the `closeloop` tool and returns what it printed.
enum CloseloopTool {
    static func run(_ executable: URL, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchError.failed("closeloop \(arguments.first ?? "") failed: \(output)")
        }
        return output
    }
}

/// Runs a peer's setup script with its output in a log file, and waits for it with `waitpid`. Neither through a pipe
/// nor with Foundation's `Process`: the script starts servers in the background (RT's PostgreSQL cluster, rt-server)
/// that keep a pipe open forever, and `Process.waitUntilExit` was seen never to return for it, the script left a
/// zombie.
enum PeerSetup {
    static func run(_ script: String, log: URL) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let arguments = ["/bin/bash", script]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/bash", &actions, nil, &argv, environ)
        guard spawned == 0 else { throw BenchError.failed("cannot start \(script): error \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { throw BenchError.failed("waiting for \(script): error \(errno)") }
        }
        // WIFEXITED and WEXITSTATUS, which Swift does not import.
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
            throw BenchError.failed("\(script) failed (wait status \(status)); see \(log.path)")
        }
    }
}
