import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation
import Hummingbird

/// The reports mailed weekly and monthly (`ScheduledReports`): which scope goes to whom, added and removed by an
/// administrator. Only people who may read a scope's figures are offered for it, and the service refuses any other.
struct AdminReportPages {
    let app: WebApp

    func register(on web: RouterGroup<AppRequestContext>) {
        web.get("/admin/reports") { request, _ in
            _ = try app.state.require(anyOf: [.administrator])
            let query = request.uri.queryParameters
            let notice =
                query["added"].map { _ in app.t("flash_saved") }
                ?? query["removed"].map { _ in app.t("reports_removed") }
            return try await page(form: nil, problems: [], notice: notice)
        }
        web.post("/admin/reports") { request, _ in
            _ = try app.state.require(anyOf: [.administrator])
            let form = try await app.form(request)
            guard let frequency = ReportSchedule.Frequency(rawValue: form["frequency"]) else {
                return try await page(
                    form: form, problems: [app.t("reports_pick_frequency")], status: .unprocessableContent)
            }
            let recipients = (form.fields["recipient"] ?? []).filter { !$0.isEmpty }.map { UserID($0) }
            guard !recipients.isEmpty else {
                return try await page(
                    form: form, problems: [app.t("reports_pick_recipients")], status: .unprocessableContent)
            }
            do {
                try await app.services.scheduledReports.add(
                    frequency, department: form.optional("department").map { DepartmentID($0) },
                    recipients: recipients, by: try app.actingStaff())
            } catch let error as ConfigurationError {
                return try await page(form: form, problems: error.problems, status: .unprocessableContent)
            }
            return WebRenderer.redirect(to: "/admin/reports?added=1")
        }
        web.post("/admin/reports/remove") { request, _ in
            _ = try app.state.require(anyOf: [.administrator])
            let form = try await app.form(request)
            guard try await app.services.scheduledReports.remove(form["id"], by: try app.actingStaff()) else {
                throw WebError.notFound
            }
            return WebRenderer.redirect(to: "/admin/reports?removed=1")
        }
    }

    private func page(
        form: WebForm?, problems: [String], notice: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let schedule = try await app.services.scheduledReports.schedule(by: try app.actingStaff())
        let directory = try await app.directory()
        let calendar = await app.services.settings.current().calendar
        let today = calendar.localDate(of: app.services.time.now())
        let reportAt = await app.services.settings.alertPolicy().dailyReportAt
        // Everyone who may read some figures: management, quality, supervisors and department managers.
        let readers = directory.users.filter { user in
            user.active && ReportAccess.defaultScope(of: user.staffMember).allowed
        }
        let chosen = Set(form?.fields["recipient"] ?? [])
        // A reader without an email address is sent nothing: say so beside their name.
        let mailed = Set(
            try await app.services.notificationTargets.targets(
                of: Set(schedule.subscriptions.flatMap(\.recipients)).map { .user($0) }
            ).filter { $0.channel == "email" }.compactMap { target -> UserID? in
                if case .user(let id) = target.owner { return id }
                return nil
            })
        let rows: [[String: Any]] = schedule.subscriptions.map { subscription in
            // The period running now goes out the morning after it ends (`end` is that day).
            let next = ReportPeriod.current(subscription.frequency.periodKind, containing: today)
            return [
                "id": subscription.id, "frequency": app.t("reports_\(subscription.frequency.rawValue)"),
                "scope": subscription.department.map { directory.departmentName($0) } ?? app.t("whole_company"),
                "recipients": subscription.recipients.map { id in
                    directory.userName(id) + (mailed.contains(id) ? "" : app.t("reports_no_email"))
                }.joined(separator: app.t("list_separator")),
                "next": app.t(
                    "reports_next",
                    ["period": ReportService.title(of: next), "day": next.end.description, "time": "\(reportAt)"]),
            ]
        }
        return app.page(
            "admin_reports",
            [
                "title": app.t("admin_reports"), "tabs": AdminPages.tabs(app, current: "reports"),
                "returnPath": "/admin/reports", "notice": notice as Any, "problems": problems,
                "hasProblems": !problems.isEmpty, "subscriptions": rows, "hasSubscriptions": !rows.isEmpty,
                "frequencies": ReportSchedule.Frequency.allCases.map { frequency in
                    [
                        "value": frequency.rawValue, "label": app.t("reports_\(frequency.rawValue)"),
                        "selected": (form?["frequency"] ?? "monthly") == frequency.rawValue,
                    ] as [String: Any]
                },
                "departments": [
                    ["value": "", "label": app.t("whole_company"), "selected": (form?["department"] ?? "") == ""]
                ]
                    + directory.departments.map { department in
                        [
                            "value": department.id.rawValue, "label": department.name.text(in: app.state.language),
                            "selected": form?["department"] == department.id.rawValue,
                        ] as [String: Any]
                    },
                "readers": readers.map { user in
                    [
                        "value": user.id.rawValue, "label": "\(user.displayName) (\(user.username))",
                        "checked": chosen.contains(user.id.rawValue),
                    ] as [String: Any]
                },
            ], status: status)
    }
}
