import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation
import Hummingbird

/// The case library (案例库): published cases for every staff member, searchable and browsable by category and
/// product; drafts for their author and quality, who edit, publish and withdraw them.
struct CasePages {
    let app: WebApp

    func register(on web: RouterGroup<AppRequestContext>) {
        web.get("/cases") { request, _ in try await library(request) }
        web.get("/cases/:number") { _, context in
            try await show(context.parameters.get("number") ?? "", form: nil, errors: [:], status: .ok)
        }
        web.post("/cases/:number") { request, context in try await save(request, context.parameters.get("number") ?? "")
        }
        web.post("/cases/:number/publish") { request, context in
            try await review(request, context.parameters.get("number") ?? "", publish: true)
        }
        web.post("/cases/:number/withdraw") { request, context in
            try await review(request, context.parameters.get("number") ?? "", publish: false)
        }
    }

    private func library(_ request: Request) async throws -> Response {
        let user = try app.state.requireStaff()
        let parameters = request.uri.queryParameters
        func value(_ name: String) -> String { (parameters.get(name) ?? "").trimmingCharacters(in: .whitespaces) }
        let reviewer = CaseLibrary.isReviewer(user)
        var query = CaseQuery()
        query.text = value("q").isEmpty ? nil : String(value("q").prefix(200))
        query.category = value("category").isEmpty ? nil : value("category")
        query.product = value("product").isEmpty ? nil : value("product")
        let status = CaseStudy.Status(rawValue: value("status"))
        if reviewer, let status { query.statuses = [status] }
        let page = max(Int(value("page")) ?? 1, 1)
        query.offset = (page - 1) * query.limit
        let (cases, more) = try await app.services.cases.list(query, by: user)
        let (categories, products) = try await app.services.cases.facets()
        let taxonomy = await app.services.settings.categories()
        let (_, calendar) = await app.services.settings.current()
        let formatting = WebFormatting(calendar: calendar, language: app.state.language, strings: app.renderer.strings)
        func category(_ code: String?) -> String { code.map { taxonomy.name(of: $0, in: app.state.language) } ?? "" }
        var pairs = [("q", value("q")), ("category", value("category")), ("product", value("product"))]
        if reviewer { pairs.append(("status", value("status"))) }
        let kept = pairs.filter { !$0.1.isEmpty }
        return app.page(
            "cases",
            [
                "title": app.t("cases_title"), "q": value("q"), "reviewer": reviewer,
                "rows": cases.map { study in
                    [
                        "number": study.number, "title": study.title, "category": category(study.category),
                        "product": study.product ?? "", "tags": study.tags,
                        "lesson": String(study.lesson.prefix(120)),
                        "status": app.t("case_status_\(study.status.rawValue)"), "draft": study.status != .published,
                        "updated": formatting.dateTime(study.updatedAt),
                    ] as [String: Any]
                },
                "empty": cases.isEmpty,
                "categories": categories.map {
                    ["value": $0, "label": category($0), "selected": $0 == value("category")]
                },
                "products": products.map { ["value": $0, "label": $0, "selected": $0 == value("product")] },
                "statuses": CaseStudy.Status.allCases.map {
                    [
                        "value": $0.rawValue, "label": app.t("case_status_\($0.rawValue)"),
                        "selected": $0 == status,
                    ]
                },
                "previousLink": page > 1 ? "/cases?" + FormEncoding.query(kept + [("page", "\(page - 1)")]) : "",
                "nextLink": more ? "/cases?" + FormEncoding.query(kept + [("page", "\(page + 1)")]) : "",
            ])
    }

    private func show(_ number: String, form: [String: String]?, errors: [String: String], status: HTTPResponse.Status)
        async throws -> Response
    {
        let user = try app.state.requireStaff()
        guard let study = try await app.services.cases.find(number, by: user) else { throw WebError.notFound }
        let taxonomy = await app.services.settings.categories()
        let directory = try await app.directory()
        let (_, calendar) = await app.services.settings.current()
        let formatting = WebFormatting(calendar: calendar, language: app.state.language, strings: app.renderer.strings)
        let reviewer = CaseLibrary.isReviewer(user)
        let editable = study.status == .draft && (reviewer || study.writtenBy == user.id)
        func value(_ name: String, _ current: String) -> String { form?[name] ?? current }
        return app.page(
            "case",
            [
                "title": study.title, "number": study.number,
                "category": study.category.map { taxonomy.name(of: $0, in: app.state.language) } ?? "",
                "product": study.product ?? "", "tags": study.tags,
                "cause": study.cause, "handling": study.handling, "lesson": study.lesson,
                "prevention": study.prevention,
                "status": app.t("case_status_\(study.status.rawValue)"), "published": study.status == .published,
                "author": directory.userName(study.writtenBy), "written": formatting.dateTime(study.writtenAt),
                "publishedBy": directory.userName(study.publishedBy),
                "publishedAt": formatting.dateTime(study.publishedAt),
                "editable": editable, "mayPublish": reviewer && study.status == .draft,
                "mayWithdraw": reviewer && study.status == .published,
                "mayOpenComplaint": !user.grants.isEmpty, "mayRaise": ImprovementActions.mayRaise(user),
                "values": [
                    "title": value("title", study.title), "tags": value("tags", app.list(study.tags)),
                    "cause": value("cause", study.cause), "handling": value("handling", study.handling),
                    "lesson": value("lesson", study.lesson), "prevention": value("prevention", study.prevention),
                ],
                "errors": errors.reduce(into: [String: String]()) {
                    $0[$1.key.replacingOccurrences(of: "[", with: "_").replacingOccurrences(of: "]", with: "")] =
                        $1.value
                },
                "hasErrors": !errors.isEmpty,
            ], status: status)
    }

    private func save(_ request: Request, _ number: String) async throws -> Response {
        let user = try app.state.requireStaff()
        let form = try await app.form(request)
        let draft = CaseStudy.Draft(
            title: form["title"], tags: CaseStudy.tags(from: form["tags"]),
            writeUp: .init(
                cause: form["cause"], handling: form["handling"], lesson: form["lesson"],
                prevention: form["prevention"]))
        let fields = ["title", "tags", "cause", "handling", "lesson", "prevention"]
        do {
            _ = try await app.services.cases.edit(number, draft, by: user)
        } catch DomainError.validation(let issues) {
            var errors: [String: String] = [:]
            for issue in issues {
                let field = issue.field.hasPrefix("tags") ? "tags" : issue.field
                errors[field] = issue.message.text(in: app.state.language)
            }
            let values = Dictionary(uniqueKeysWithValues: fields.map { ($0, form[$0]) })
            return try await show(number, form: values, errors: errors, status: .unprocessableContent)
        }
        return WebRenderer.redirect(to: "/cases/\(FormEncoding.encode(number))?saved=1")
    }

    private func review(_ request: Request, _ number: String, publish: Bool) async throws -> Response {
        let user = try app.state.requireStaff()
        _ = try await app.form(request)
        _ =
            publish
            ? try await app.services.cases.publish(number, by: user)
            : try await app.services.cases.withdraw(number, by: user)
        return WebRenderer.redirect(to: "/cases/\(FormEncoding.encode(number))")
    }
}
