import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation
import Hummingbird

/// The daily monitoring report on a page (SPEC §6), with the day's penalties per department.
struct ReportPages {
    let app: WebApp

    static let readers: Set<Role> = [
        .supervisor, .departmentManager, .vicePresident, .generalManager, .quality, .administrator,
    ]

    func register(on web: RouterGroup<AppRequestContext>) {
        web.get("/reports/daily") { request, _ in try await daily(request) }
    }

    private func daily(_ request: Request) async throws -> Response {
        _ = try app.state.require(anyOf: Self.readers)
        let monitoring = app.services.monitoring
        let yesterday = await monitoring.yesterday()
        let asked = request.uri.queryParameters.get("date")
        guard let day = asked.map({ LocalDate($0) }) ?? yesterday else {
            throw WebError.badRequest(app.t("error_date_format"))
        }
        // Today's report stands as of now, as the queues do: a deadline later today is not missed yet.
        let isToday = day > yesterday
        let report = try await monitoring.report(for: day, asOf: isToday ? app.services.time.now() : nil)
        let targets = await app.services.settings.alertPolicy().monitoring
        let directory = try await app.directory()
        let penalties = try await app.services.reports.penalties(on: day)
        func percent(_ value: Double?) -> String { value.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }
        return app.page(
            "report_daily",
            [
                "title": app.t("report_daily_title", ["day": "\(day)"]), "day": "\(day)",
                "previous": "\(day.adding(days: -1))", "next": day < yesterday ? "\(day.adding(days: 1))" : "",
                "received": report.receivedOnDay, "closed": report.closedOnDay,
                "closedInTime": app.t("report_closed_in_time", ["count": "\(report.closedOnDayInTime)"]),
                "closureRate": percent(report.closureRate),
                "closureCounts": app.t(
                    "report_closure_counts", ["met": "\(report.closureInTime)", "base": "\(report.closureBase)"]),
                "closureTarget": percent(targets.closureRate),
                "closureBad": (report.closureRate ?? 1) < targets.closureRate,
                "satisfaction": report.satisfaction.map { String(format: "%.1f", $0) } ?? "—",
                "satisfactionTarget": String(format: "%.0f", targets.satisfaction),
                "satisfactionBad": (report.satisfaction ?? 100) < targets.satisfaction,
                "ratings": report.ratingCount,
                "negativeRate": percent(report.negativeRate), "negativeTarget": percent(targets.negativeRate),
                "negativeBad": (report.negativeRate ?? 0) > targets.negativeRate,
                "firstResponseOverdue": report.firstResponseOverdue.count,
                "firstContactOverdue": report.firstContactOverdue, "overdue": report.overdue,
                "isToday": isToday, "windowDays": targets.windowDays,
                "anomalies": report.anomalies.map { anomaly in
                    [
                        "message": app.text(anomaly.message),
                        "complaints": anomaly.complaints.prefix(50).map { ["number": $0] },
                        "more": anomaly.total > min(anomaly.complaints.count, 50)
                            ? app.t("report_anomaly_total", ["count": "\(anomaly.total)"]) : "",
                    ]
                },
                "hasAnomalies": !report.anomalies.isEmpty,
                "healthChecked": (report.health?.checks ?? 0) > 0,
                "healthNoChecks": app.text(HealthSummary.noChecks),
                "healthFigures": report.health?.figures(in: app.state.language) ?? [],
                "healthAnomalies": report.health?.anomalyLines(in: app.state.language) ?? [],
                "hasHealthAnomalies": !(report.health?.anomalies.isEmpty ?? true),
                "penalties": penalties.map {
                    [
                        "department": $0.department.map { directory.departmentName($0) } ?? "—",
                        "count": $0.count, "amount": "¥\($0.amount)",
                    ]
                },
                "hasPenalties": !penalties.isEmpty,
            ])
    }
}
