import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation
import Hummingbird

/// Administration: users and their roles, departments, and the log of every administrative change. The settings
/// pages (categories, policy, calendar, authority, templates) are in `AdminSettingsPages`.
struct AdminPages {
    let app: WebApp

    func register(on web: RouterGroup<AppRequestContext>) {
        web.get("/admin") { _, _ in
            _ = try app.state.require(anyOf: [.administrator])
            return WebRenderer.redirect(to: "/admin/users")
        }
        web.get("/admin/users") { request, _ in
            _ = try app.state.require(anyOf: [.administrator])
            let notice = request.uri.queryParameters["saved"].map { _ in app.t("flash_saved") }
            return try await usersPage(form: nil, errors: [:], notice: notice)
        }
        web.post("/admin/users") { request, _ in try await createUser(request) }
        web.get("/admin/users/:username") { request, context in
            _ = try app.state.require(anyOf: [.administrator])
            let notice = request.uri.queryParameters["saved"].map { _ in app.t("flash_saved") }
            return try await userPage(
                username: context.parameters.get("username") ?? "", form: nil, errors: [:], notice: notice)
        }
        web.post("/admin/users/:username") { request, context in
            try await updateUser(request, username: context.parameters.get("username") ?? "")
        }
        web.get("/admin/departments") { request, _ in
            _ = try app.state.require(anyOf: [.administrator])
            let notice = request.uri.queryParameters["saved"].map { _ in app.t("flash_saved") }
            return try await departmentsPage(errors: [:], form: nil, notice: notice)
        }
        web.post("/admin/departments") { request, _ in try await saveDepartment(request) }
        web.get("/admin/audit") { _, _ in try await auditPage() }
        AdminSettingsPages(app: app).register(on: web)
        AdminNotificationPages(app: app).register(on: web)
        AdminReportPages(app: app).register(on: web)
        AdminDeliveryPages(app: app).register(on: web)
        AdminMailboxPages(app: app).register(on: web)
        AdminChannelPages(app: app).register(on: web)
    }

    /// The admin section's tabs, with the current one marked.
    static func tabs(_ app: WebApp, current: String) -> [[String: Any]] {
        [
            "users", "departments", "categories", "policy", "calendar", "authority", "templates", "alerts",
            "quality", "reports", "notifications", "delivery", "mailbox", "channels", "outbox", "audit",
        ].map {
            ["path": "/admin/\($0)", "label": app.t("admin_\($0)"), "current": $0 == current]
        }
    }

    /// Records an administrative change; every one is kept (SPEC: every staff action in the audit history).
    // MARK: - Users

    private func grantRows(_ grants: [RoleGrant], directory: Directory, form: WebForm?) -> [[String: Any]] {
        Role.allCases.map { role in
            let current: String
            if let form {
                current = form["role.\(role.rawValue)"]
            } else if let grant = grants.first(where: { $0.role == role }) {
                current = grant.department?.rawValue ?? "*"
            } else {
                current = ""
            }
            let scopes: [(String, String)] =
                [("", app.t("admin_role_none")), ("*", app.t("admin_role_company"))]
                + directory.departments.map { ($0.id.rawValue, app.text($0.name)) }
            return [
                "role": role.rawValue, "label": app.text(role.label), "id": "role-\(role.rawValue)",
                "scopes": scopes.map { ["value": $0.0, "label": $0.1, "selected": $0.0 == current] },
            ]
        }
    }

    private func grants(from form: WebForm) -> [RoleGrant] {
        Role.allCases.compactMap { role in
            let scope = form["role.\(role.rawValue)"]
            if scope.isEmpty { return nil }
            return RoleGrant(role, in: scope == "*" ? nil : DepartmentID(scope))
        }
    }

    private func usersPage(form: WebForm?, errors: [String: String], notice: String?, status: HTTPResponse.Status = .ok)
        async throws -> Response
    {
        let directory = try await app.directory()
        let users: [[String: Any]] = directory.users.map { user in
            [
                "username": user.username, "name": user.displayName,
                "department": directory.departmentName(user.department),
                "roles": app.list(
                    user.grants.map { grant in
                        let role = app.text(grant.role.label)
                        return grant.department.map {
                            app.state.language.parenthesized(directory.departmentName($0), after: role)
                        } ?? role
                    }),
                "language": user.language == .en ? "English" : "中文", "active": user.active,
            ]
        }
        return app.page(
            "admin_users",
            [
                "title": app.t("admin_users"), "tabs": Self.tabs(app, current: "users"), "users": users,
                "returnPath": "/admin/users",
                "grants": grantRows([], directory: directory, form: form),
                "departments": [["value": "", "label": "—", "selected": false]]
                    + directory.departmentOptions(selected: form?["department"]),
                "values": ["username": form?["username"] ?? "", "displayName": form?["displayName"] ?? ""],
                "errors": errors, "notice": notice as Any,
            ], status: status)
    }

    private func createUser(_ request: Request) async throws -> Response {
        _ = try app.state.require(anyOf: [.administrator])
        let form = try await app.form(request)
        do {
            _ = try await app.services.staff.add(
                .init(
                    username: form["username"], displayName: form["displayName"],
                    password: form.fields["password"]?.first ?? "",
                    department: form.optional("department").map { DepartmentID($0) }, grants: grants(from: form)),
                by: try app.actingStaff())
        } catch DomainError.validation(let issues) {
            return try await usersPage(
                form: form, errors: fieldErrors(issues), notice: nil, status: .unprocessableContent)
        }
        return WebRenderer.redirect(to: "/admin/users?saved=1")
    }

    /// Each refused field with its message in the user's language.
    private func fieldErrors(_ issues: [FieldIssue]) -> [String: String] {
        Dictionary(issues.map { ($0.field, app.text($0.message)) }, uniquingKeysWith: { first, _ in first })
    }

    private func userPage(
        username: String, form: WebForm?, errors: [String: String], notice: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        guard let user = try await app.services.staff.user(username: username) else { throw WebError.notFound }
        let directory = try await app.directory()
        let language = form.map { $0["language"] } ?? user.language.rawValue
        return app.page(
            "admin_user",
            [
                "title": user.displayName, "tabs": Self.tabs(app, current: "users"), "username": user.username,
                "returnPath": "/admin/users/\(FormEncoding.encode(user.username))",
                "values": [
                    "displayName": form?["displayName"] ?? user.displayName,
                    "active": form.map { $0.bool("active") } ?? user.active,
                ] as [String: Any],
                "languages": Language.allCases.map {
                    ["value": $0.rawValue, "label": $0 == .en ? "English" : "中文", "selected": $0.rawValue == language]
                },
                "departments": [["value": "", "label": "—", "selected": false]]
                    + directory.departmentOptions(selected: form?["department"] ?? user.department?.rawValue),
                "grants": grantRows(user.grants, directory: directory, form: form), "errors": errors,
                "notice": notice as Any,
            ], status: status)
    }

    private func updateUser(_ request: Request, username: String) async throws -> Response {
        _ = try app.state.require(anyOf: [.administrator])
        let form = try await app.form(request)
        guard try await app.services.staff.user(username: username) != nil else { throw WebError.notFound }
        let password = form.fields["password"]?.first ?? ""
        do {
            try await app.services.staff.update(
                username,
                .init(
                    displayName: form["displayName"],
                    department: .some(form.optional("department").map { DepartmentID($0) }),
                    grants: grants(from: form), language: Language(rawValue: form["language"]),
                    active: form.bool("active"),
                    password: password.isEmpty ? nil : password),
                by: try app.actingStaff())
        } catch DomainError.validation(let issues) {
            return try await userPage(
                username: username, form: form, errors: fieldErrors(issues), status: .unprocessableContent)
        }
        return WebRenderer.redirect(to: "/admin/users/\(FormEncoding.encode(username))?saved=1")
    }

    // MARK: - Departments

    private func departmentsPage(
        errors: [String: String], form: WebForm?, notice: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let departments = try await app.services.staff.departments()
        return app.page(
            "admin_departments",
            [
                "title": app.t("admin_departments"), "tabs": Self.tabs(app, current: "departments"),
                "returnPath": "/admin/departments",
                "departments": departments.map { ["id": $0.id.rawValue, "zh": $0.name.zhHans, "en": $0.name.en] },
                "values": ["id": form?["id"] ?? "", "zh": form?["zh"] ?? "", "en": form?["en"] ?? ""],
                "errors": errors, "notice": notice as Any,
            ], status: status)
    }

    private func saveDepartment(_ request: Request) async throws -> Response {
        _ = try app.state.require(anyOf: [.administrator])
        let form = try await app.form(request)
        do {
            try await app.services.staff.saveDepartment(
                form["id"], zh: form["zh"], en: form["en"], by: try app.actingStaff())
        } catch DomainError.validation(let issues) {
            return try await departmentsPage(
                errors: fieldErrors(issues), form: form, status: .unprocessableContent)
        }
        return WebRenderer.redirect(to: "/admin/departments?saved=1")
    }

    // MARK: - Audit

    /// An audit action in words (`department.save` → 保存部门); an unknown code is shown as it is.
    static func actionLabel(_ app: WebApp, _ code: String) -> String {
        let key = "audit_" + code.replacingOccurrences(of: ".", with: "_")
        return app.renderer.strings.table(app.state.language)[key] ?? code
    }

    private func auditPage() async throws -> Response {
        _ = try app.state.require(anyOf: [.administrator, .quality])
        let (_, calendar) = await app.services.settings.current()
        let formatting = WebFormatting(calendar: calendar, language: app.state.language, strings: app.renderer.strings)
        let entries = try await app.services.audit.entries(limit: 200, by: try app.actingStaff())
        return app.page(
            "admin_audit",
            [
                "title": app.t("admin_audit"), "tabs": Self.tabs(app, current: "audit"),
                "entries": entries.map {
                    [
                        "at": formatting.dateTime($0.at), "actor": $0.actor, "action": Self.actionLabel(app, $0.action),
                        "code": $0.action, "subject": $0.subject,
                        "detail": $0.detail,
                    ]
                }, "empty": entries.isEmpty,
            ])
    }
}
