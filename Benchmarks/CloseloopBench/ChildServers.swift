import Foundation
import Synchronization
import UnixSignals

/// The `closeloop serve` children running now, so that an interrupted run stops them instead of leaving them
/// serving (and holding their ports and database connections) after it is gone: Ctrl-C or a `kill` of the bench
/// otherwise ends only the bench.
enum ChildServers {
    private static let running = Mutex<Set<pid_t>>([])

    static func started(_ pid: pid_t) { running.withLock { _ = $0.insert(pid) } }
    static func stopped(_ pid: pid_t) { running.withLock { _ = $0.remove(pid) } }

    /// On SIGINT, SIGTERM or SIGHUP: SIGTERM to every child, a few seconds for them to finish, SIGKILL to those
    /// still there, then exit with the shell's 128 + signal.
    static func stopOnSignals() async {
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm, .sighup)
        Task.detached {
            for await signal in signals {
                emit("closeloop-bench: \(signal), stopping its servers")
                stopAll()
                exit(128 + signal.rawValue)
            }
        }
    }

    private static func stopAll() {
        let pids = running.withLock { $0 }
        for pid in pids { kill(pid, SIGTERM) }
        for _ in 0..<50 where pids.contains(where: { kill($0, 0) == 0 && !exited($0) }) { usleep(100_000) }
        for pid in pids where kill(pid, 0) == 0 { kill(pid, SIGKILL) }
    }

    /// Reaps the child if it has exited (a zombie still answers `kill(pid, 0)`).
    private static func exited(_ pid: pid_t) -> Bool {
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == pid
    }
}
