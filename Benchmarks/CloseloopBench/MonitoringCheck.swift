@_spi(Tools) import CloseloopApp
import Foundation

/// Issue 16's monitoring check timed in-process: what every server instance runs each five minutes (today's report
/// as of now against the targets, and its alerts queued once), `runs` times in a row, the first run cold.
enum MonitoringCheck {
    static func time(_ services: AppServices, runs: Int = 5) async throws -> (first: Double, p50: Double) {
        var samples: [Double] = []
        for _ in 0..<runs {
            let started = ContinuousClock.now
            _ = try await services.monitoring.raiseAlerts()
            samples.append((ContinuousClock.now - started).seconds * 1000)
        }
        let first = samples[0]
        samples.sort()
        return (first, samples[samples.count / 2])
    }
}
