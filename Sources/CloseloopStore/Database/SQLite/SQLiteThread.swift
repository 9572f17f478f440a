import Foundation
import Synchronization

/// A thread of its own for one SQLite connection, as a task executor: the body of a read or of a write batch runs
/// here with its statements in place, so a long query or a commit's fsync never occupies one of the few threads of
/// Swift's cooperative pool that serve every request.
final class SQLiteThread: TaskExecutor {
    private struct Queue {
        var jobs: [UnownedJob] = []
        var stopping = false
    }

    private let queue = Mutex(Queue())
    /// Wakes the thread when a job arrives; its own lock only pairs with `wait`.
    private let wake = NSCondition()

    init(name: String) {
        let thread = Thread { [self] in run() }
        thread.name = name
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.withLock { $0.jobs.append(job) }
        wake.lock()
        wake.signal()
        wake.unlock()
    }

    /// Lets the thread end once the jobs already queued have run.
    func stop() {
        queue.withLock { $0.stopping = true }
        wake.lock()
        wake.signal()
        wake.unlock()
    }

    private func run() {
        while true {
            let (jobs, stopping) = queue.withLock { queue -> ([UnownedJob], Bool) in
                defer { queue.jobs.removeAll(keepingCapacity: true) }
                return (queue.jobs, queue.stopping)
            }
            for job in jobs { job.runSynchronously(on: asUnownedTaskExecutor()) }
            if jobs.isEmpty {
                if stopping { return }
                wake.lock()
                if queue.withLock({ $0.jobs.isEmpty && !$0.stopping }) { wake.wait() }
                wake.unlock()
            }
        }
    }
}
