import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation
import Hummingbird

/// Quality's spot checks (质检/抽检): per department, a random sample of the period's closed complaints, each scored
/// against the checklist set under administration.
struct QualityPages {
    let app: WebApp

    func register(on web: RouterGroup<AppRequestContext>) {
        web.get("/quality") { request, _ in try await overview(request) }
        web.post("/quality/draw") { request, _ in try await draw(request) }
        web.get("/quality/:number") { _, context in
            try await show(context.parameters.get("number") ?? "", form: nil, errors: [:], status: .ok)
        }
        web.post("/quality/:number") { request, context in
            try await score(request, context.parameters.get("number") ?? "")
        }
    }

    private func checker() throws -> UserAccount {
        let user = try app.state.requireStaff()
        guard QualityChecks.mayCheck(user) else { throw WebError.forbidden }
        return user
    }

    private func period(_ kind: String?, _ value: String?) async throws -> ReportPeriod {
        let calendar = await app.services.settings.current().calendar
        let today = calendar.localDate(of: app.services.time.now())
        do {
            // Spot checks look back: the default is the month just ended.
            let asked = try ReportPeriod.requested(kind: kind, value: value, from: nil, to: nil, today: today)
            return value == nil || value?.isEmpty == true ? asked.previous : asked
        } catch {
            throw WebError.badRequest(app.t("error_period"))
        }
    }

    private func overview(_ request: Request) async throws -> Response {
        let user = try checker()
        let parameters = request.uri.queryParameters
        let period = try await period(parameters.get("period") ?? "month", parameters.get("value"))
        let checklist = await app.services.settings.qualityChecklist()
        let checks = try await app.services.quality.checks(period, department: nil, by: user)
        let directory = try await app.directory()
        let departments: [[String: Any]] = directory.departments.map { department in
            let drawn = checks.filter { $0.department == department.id }
            let scored = drawn.compactMap(\.total)
            return [
                "id": department.id.rawValue, "name": app.text(department.name), "drawn": drawn.count,
                "sample": checklist.sampleSize, "scored": scored.count,
                "mean": scored.isEmpty
                    ? "—" : String(format: "%.1f", Double(scored.reduce(0, +)) / Double(scored.count)),
                "full": drawn.count >= checklist.sampleSize,
                "checks": drawn.map { check in
                    [
                        "number": check.number, "owner": directory.userName(check.owner),
                        "total": check.total.map(String.init) ?? app.t("quality_unscored"),
                        "scored": check.total != nil,
                    ] as [String: Any]
                },
            ]
        }
        return app.page(
            "quality",
            [
                "title": app.t("quality_title"), "period": period.code, "previous": period.previous.code,
                "next": period.next.code, "departments": departments,
                "checklist": app.list(checklist.items.map { "\(app.text($0.name)) (\($0.weight))" }),
                "drawnNote": parameters.get("drawn").map { app.t("quality_drawn", ["count": $0]) } as Any,
            ])
    }

    private func draw(_ request: Request) async throws -> Response {
        let user = try checker()
        let form = try await app.form(request)
        let period = try await period("month", form["period"])
        let drawn = try await app.services.quality.draw(period, department: DepartmentID(form["department"]), by: user)
        return WebRenderer.redirect(to: "/quality?period=month&value=\(period.code)&drawn=\(drawn.count)")
    }

    private func show(_ number: String, form: WebForm?, errors: [String: String], status: HTTPResponse.Status)
        async throws -> Response
    {
        let user = try checker()
        guard let check = try await app.services.quality.check(number, by: user),
            let record = try await app.services.complaints.find(check.complaintID.rawValue)
        else { throw WebError.notFound }
        let checklist = await app.services.settings.qualityChecklist()
        let directory = try await app.directory()
        let complaint = record.complaint
        return app.page(
            "quality_check",
            [
                "title": app.t("quality_check_title", ["number": check.number]), "number": check.number,
                "subject": complaint.intake.subject, "department": directory.departmentName(check.department),
                "owner": directory.userName(check.owner), "period": check.period,
                "items": checklist.items.map { item in
                    [
                        "code": item.code, "name": app.text(item.name), "weight": item.weight,
                        "value": form?.fields["score.\(item.code)"]?.first ?? check.scores[item.code].map(String.init)
                            ?? "",
                        "error": errors["score.\(item.code)"] as Any,
                    ]
                },
                "note": form?.fields["note"]?.first ?? check.note, "noteError": errors["note"] as Any,
                "total": check.total.map(String.init) as Any, "hasErrors": !errors.isEmpty,
            ], status: status)
    }

    private func score(_ request: Request, _ number: String) async throws -> Response {
        let user = try checker()
        let form = try await app.form(request)
        let checklist = await app.services.settings.qualityChecklist()
        var scores: [String: Int] = [:]
        var errors: [String: String] = [:]
        for item in checklist.items {
            let text = form["score.\(item.code)"].trimmingCharacters(in: .whitespaces)
            if let value = Int(text) {
                scores[item.code] = value
            } else if !text.isEmpty {
                errors["score.\(item.code)"] = app.t("quality_score_number")
            }
        }
        if errors.isEmpty {
            do {
                try await app.services.quality.score(number, scores: scores, note: form["note"], by: user)
                return WebRenderer.redirect(to: "/quality/\(FormEncoding.encode(number))?saved=1")
            } catch DomainError.validation(let issues) {
                for issue in issues { errors[issue.field] = issue.message.text(in: app.state.language) }
            }
        }
        return try await show(number, form: form, errors: errors, status: .unprocessableContent)
    }
}
