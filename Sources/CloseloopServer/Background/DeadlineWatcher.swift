import CloseloopApp
import CloseloopCore
import CloseloopStore
import Logging
import ServiceLifecycle

/// The deadline watcher (SPEC §5): every `interval` it reads the complaints whose next warning or breach is due —
/// through the `next_alert_at` index only — and records what each owes through `ComplaintService.raiseAlerts`.
/// Safe in every server instance: an alert is written at the complaint's version, so when two instances reach one
/// complaint together, one records it and the other's write is refused as stale.
public struct DeadlineWatcher: Service {
    public let complaints: ComplaintService
    /// Improvement actions' due days, watched on the same pass when given.
    public let improvements: ImprovementActions?
    public let interval: Duration
    public let batchSize: Int
    public let logger: Logger
    /// Told when the loop starts and of each pass finished, for the instance's health check.
    public let health: HealthRecorder?

    public init(
        complaints: ComplaintService, improvements: ImprovementActions? = nil, interval: Duration = .seconds(30),
        batchSize: Int = 200, logger: Logger = Logger(label: "closeloop.watcher"), health: HealthRecorder? = nil
    ) {
        self.complaints = complaints
        self.health = health
        self.improvements = improvements
        self.interval = interval
        self.batchSize = batchSize
        self.logger = logger
    }

    public func run() async throws {
        health?.watch(.deadlineWatcher)
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let recorded = try await OperationalMetrics.pass("deadline watcher") { try await pass() }
                    health?.finished(.deadlineWatcher)
                    if recorded > 0 {
                        logger.info("deadline watcher recorded alerts", metadata: ["count": "\(recorded)"])
                    }
                } catch {
                    logger.error("deadline watcher pass failed", metadata: ["error": "\(error)"])
                }
                // Shutdown cancels the sleep: stop quietly rather than report it as a failure.
                guard (try? await Task.sleep(for: interval)) != nil else { return }
            }
        }
    }

    /// One pass at the time source's now; returns how many alerts it recorded. A complaint that fails is logged
    /// and left for the next pass, never holding up the others.
    @discardableResult
    public func pass() async throws -> Int {
        var recorded = 0
        var seen: Set<ComplaintID> = []
        while true {
            let due = try await complaints.dueForAlerts(limit: batchSize)
            let fresh = due.filter { !seen.contains($0) }
            if fresh.isEmpty { break }
            for id in fresh {
                seen.insert(id)
                do {
                    recorded += try await complaints.raiseAlerts(on: id)
                } catch StoreError.versionConflict {
                    // Someone acted on it (or another instance alerted it) since it was read; the next pass sees
                    // the new state.
                    continue
                } catch {
                    logger.error("could not raise alerts", metadata: ["complaint": "\(id)", "error": "\(error)"])
                }
            }
            if due.count < batchSize { break }
        }
        if let improvements {
            do {
                recorded += try await improvements.watch()
            } catch {
                logger.error("could not watch improvement actions", metadata: ["error": "\(error)"])
            }
        }
        return recorded
    }
}
