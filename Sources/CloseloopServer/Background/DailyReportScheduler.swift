import CloseloopApp
import CloseloopCore
import Foundation
import Logging
import ServiceLifecycle

/// Sends yesterday's monitoring report once the morning's report time has passed, the weekly and monthly reports
/// whose period is over (`ScheduledReports`), and checks today against the monitoring targets on every round,
/// raising an alert for each new anomaly, and takes this instance's health check (SPEC §6). Every instance runs it; the outbox ids are derived from the day
/// or period, the anomaly or subscription, and the address, so each is queued once.
struct DailyReportScheduler: Service {
    let monitoring: MonitoringService
    let scheduledReports: ScheduledReports
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            var lastSent: LocalDate?
            while !Task.isCancelled {
                do {
                    let after = lastSent
                    lastSent = try await OperationalMetrics.pass("daily report") { try await sendIfDue(after: after) }
                } catch {
                    logger.error("daily report failed", metadata: ["error": "\(error)"])
                }
                do {
                    let queued = try await OperationalMetrics.pass("scheduled reports") {
                        try await scheduledReports.sendDue()
                    }
                    if queued > 0 { logger.info("scheduled reports", metadata: ["queued": "\(queued)"]) }
                } catch {
                    logger.error("scheduled reports failed", metadata: ["error": "\(error)"])
                }
                do {
                    try await OperationalMetrics.pass("monitoring") { try await monitoring.raiseAlerts() }
                } catch {
                    logger.error("monitoring check failed", metadata: ["error": "\(error)"])
                }
                do {
                    let (check, queued) = try await OperationalMetrics.pass("health check") {
                        try await monitoring.checkHealth()
                    }
                    if queued > 0 {
                        logger.warning(
                            "health alerts raised",
                            metadata: ["queued": "\(queued)", "instance": "\(check.instance)"])
                    }
                } catch {
                    logger.error("health check failed", metadata: ["error": "\(error)"])
                }
                // Shutdown cancels the sleep: stop quietly rather than report it as a failure.
                guard (try? await Task.sleep(for: interval)) != nil else { return }
            }
        }
    }

    /// Sends yesterday's report when its time has come and this instance has not sent it yet; returns the day last
    /// sent.
    func sendIfDue(after lastSent: LocalDate?) async throws -> LocalDate? {
        let (day, queued) = try await monitoring.sendYesterdaysReportIfDue(after: lastSent)
        if let queued {
            logger.info(
                "daily monitoring report",
                metadata: ["day": "\(day.map(String.init(describing:)) ?? "-")", "queued": "\(queued)"])
        }
        return day ?? lastSent
    }
}
