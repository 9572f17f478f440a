import Foundation
import Synchronization
import UnixSignals

/// The `closeloop serve` children running now, so that an interrupted run stops them instead of leaving them
/// serving (and holding their ports and database connections) after it is gone: Ctrl-C or a `kill` of the bench
/// otherwise ends only the bench.
enum ChildServers {
    private static let running = Mutex<[ObjectIdentifier: ServerProcess]>([:])

    static func started(_ server: ServerProcess) { running.withLock { $0[ObjectIdentifier(server)] = server } }
    static func stopped(_ server: ServerProcess) {
        running.withLock { _ = $0.removeValue(forKey: ObjectIdentifier(server)) }
    }

    /// On SIGINT, SIGTERM or SIGHUP: every child is stopped as a finished phase stops it (`ServerProcess.stop`), all
    /// asked at once, then the bench exits with the shell's 128 + signal.
    static func stopOnSignals() async {
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm, .sighup)
        Task.detached {
            for await signal in signals {
                emit("closeloop-bench: \(signal), stopping its servers")
                let servers = running.withLock { Array($0.values) }
                for server in servers where server.process.isRunning { server.process.terminate() }
                for server in servers { server.stop() }
                exit(128 + signal.rawValue)
            }
        }
    }
}
