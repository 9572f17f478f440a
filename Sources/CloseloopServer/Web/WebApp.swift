import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation
import Hummingbird
import NIOCore

/// The server-rendered web interface: staff workspace, customer portal and administration, beside the API.
/// HTML routes are plain Hummingbird routes (the OpenAPI document describes only the API).
public struct WebApp: Sendable {
    public let services: AppServices
    public let renderer: WebRenderer
    public let sessions: WebSessionService
    /// How often an open queue page's live connection looks for changes made by any server instance.
    public var liveInterval: Duration = .seconds(2)

    public init(services: AppServices, renderer: WebRenderer) {
        self.services = services
        self.renderer = renderer
        sessions = services.sessions
    }

    /// The signed-in staff member as the one making an administrative change.
    func actingStaff() throws -> Operator { .staff(try state.requireStaff()) }
    var state: WebState { WebState.current }

    func register(on router: Router<AppRequestContext>) {
        let web = router.group().add(middleware: WebSessionMiddleware(sessions: sessions, renderer: renderer))
        router.get("/static/:file") { _, context -> Response in
            guard let name = context.parameters.get("file"), let asset = renderer.assets[name] else {
                return Response(status: .notFound)
            }
            return Response(
                status: .ok,
                headers: [.contentType: asset.type, .cacheControl: "public, max-age=31536000, immutable"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: asset.bytes)))
        }
        SignInPages(app: self).register(on: web)
        QueuePages(app: self).register(on: web)
        ComplaintPages(app: self).register(on: web)
        IntakePages(app: self).register(on: web)
        PortalPages(app: self).register(on: web)
        AdminPages(app: self).register(on: web)
        ReportPages(app: self).register(on: web)
        DashboardPages(app: self).register(on: web)
        CasePages(app: self).register(on: web)
        QualityPages(app: self).register(on: web)
        ActionPages(app: self).register(on: web)
        IncidentPages(app: self).register(on: web)
        SearchPages(app: self).register(on: web)
        BulkAssignPages(app: self).register(on: web)
    }

    /// The page for an address no route knows, in the user's language and with their session (the API keeps its
    /// JSON 404; see `ProblemMiddleware`).
    var notFoundPage: @Sendable (Request, AppRequestContext) async throws -> Response {
        let middleware = WebSessionMiddleware<AppRequestContext>(sessions: sessions, renderer: renderer)
        return { request, context in
            try await middleware.handle(request, context: context) { _, _ in throw WebError.notFound }
        }
    }

    // MARK: - Helpers every page uses

    func t(_ key: String, _ values: [String: String] = [:]) -> String {
        renderer.strings.text(key, state.language, values)
    }

    func page(_ template: String, _ context: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        renderer.page(template, context, status: status, state: state)
    }

    /// The submitted form, CSRF-checked; multipart forms (with files) may be as large as an upload, others as a
    /// JSON body.
    func form(_ request: Request) async throws -> WebForm {
        let multipart = request.headers[.contentType]?.lowercased().hasPrefix("multipart/form-data") == true
        let limit = multipart ? services.limits.upload : services.limits.json
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            throw HTTPError(.contentTooLarge)
        }
        do {
            return try await WebForm.read(request, limit: limit)
        } catch is NIOTooManyBytesError {
            throw HTTPError(.contentTooLarge)
        }
    }

    func text(_ localized: LocalizedText) -> String { localized.text(in: state.language) }

    /// Every category and subcategory of `taxonomy` as a picker offers them ("投诉类别 › 子类").
    func categoryChoices(_ taxonomy: CategoryTaxonomy) -> [(value: String, label: String)] {
        taxonomy.categories.flatMap { category in
            [(category.code, text(category.name))]
                + category.subcategories.map { ($0.code, text(category.name) + " › " + text($0.name)) }
        }
    }

    /// Items joined as the reader's language lists them: "维修、补偿" or "repair, compensation".
    func list(_ items: [String]) -> String { state.language.list(items) }

    /// A file size in the user's language: 314 字节, 12.5 KB, 3.2 MB.
    func fileSize(_ bytes: Int) -> String {
        if bytes < 1024 { return t("file_size_bytes", ["count": "\(bytes)"]) }
        let kilobytes = Double(bytes) / 1024
        if kilobytes < 1024 { return String(format: "%.1f KB", kilobytes) }
        return String(format: "%.1f MB", kilobytes / 1024)
    }

    /// Names of users and departments by id, for showing who and where instead of ids.
    func directory() async throws -> Directory {
        Directory(
            users: try await services.staff.users(), departments: try await services.staff.departments(),
            language: state.language)
    }
}

/// Users and departments of the company, looked up by id for display and for the pickers of forms.
struct Directory {
    var users: [UserAccount]
    var departments: [Department]
    var language: Language

    func userName(_ id: UserID?) -> String {
        guard let id else { return "" }
        return users.first { $0.id == id }?.displayName ?? id.rawValue
    }

    func departmentName(_ id: DepartmentID?) -> String {
        guard let id else { return "" }
        return departments.first { $0.id == id }?.name.text(in: language) ?? id.rawValue
    }

    /// Options for a department picker, with `selected` marked.
    func departmentOptions(selected: String?) -> [[String: Any]] {
        departments.map {
            ["value": $0.id.rawValue, "label": $0.name.text(in: language), "selected": $0.id.rawValue == selected]
        }
    }

    /// Options for a staff picker: active users holding one of `roles`.
    func userOptions(holding roles: Set<Role>, selected: String?) -> [[String: Any]] {
        users.filter { user in user.active && user.grants.contains { roles.contains($0.role) } }.map {
            [
                "value": $0.id.rawValue, "label": "\($0.displayName) (\($0.username))",
                "selected": $0.id.rawValue == selected,
            ]
        }
    }
}
