import Foundation
import Synchronization

/// Runs one workload with a number of concurrent clients, each sending its next request when the last one answered,
/// until a request count or a duration is reached; times every request.
struct LoadPhase: Sendable {
    var clients: Int
    var maxRequests: Int
    var maxSeconds: Double

    /// `operation(client, i)` performs request `i` and returns nil on success or a description of what failed.
    func run(_ operation: @escaping @Sendable (Int, Int) async -> String?) async -> (Latencies, seconds: Double) {
        let counter = RequestCounter(limit: maxRequests)
        let started = ContinuousClock.now
        let deadline = started + .milliseconds(Int(maxSeconds * 1000))
        let latencies = await withTaskGroup(of: Latencies.self) { group in
            for client in 0..<clients {
                group.addTask {
                    var local = Latencies()
                    while ContinuousClock.now < deadline, let index = counter.next() {
                        let start = ContinuousClock.now
                        let failure = await operation(client, index)
                        let elapsed = (ContinuousClock.now - start).seconds * 1000
                        if let failure {
                            local.errors += 1
                            if local.errorSamples.count < 3 { local.errorSamples.append(failure) }
                        } else {
                            local.samples.append(elapsed)
                        }
                    }
                    return local
                }
            }
            var all = Latencies()
            for await part in group { all.merge(part) }
            return all
        }
        return (latencies, (ContinuousClock.now - started).seconds)
    }
}

/// Hands out request numbers up to a limit, shared by a phase's clients.
final class RequestCounter: Sendable {
    private let state: Mutex<Int>
    private let limit: Int

    init(limit: Int) {
        self.limit = limit
        state = Mutex(0)
    }

    func next() -> Int? {
        state.withLock { value in
            guard value < limit else { return nil }
            defer { value += 1 }
            return value
        }
    }
}
