import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation
import Hummingbird

/// The complaints mailbox: where it is read from (IMAP settings; the password is never shown again), how reading
/// it went, and every mail received however it arrived, with the quarantine's reasons, a retry and the raw message.
struct AdminMailboxPages {
    let app: WebApp

    func register(on web: RouterGroup<AppRequestContext>) {
        web.get("/admin/mailbox") { request, _ in
            _ = try app.state.require(anyOf: [.administrator])
            let query = request.uri.queryParameters
            let notice =
                query["saved"].map { _ in app.t("flash_saved") } ?? query["done"].map { app.t("mailbox_done_\($0)") }
            return try await page(
                status: query["status"].flatMap { InboundMessage.Status(rawValue: String($0)) }, form: nil,
                problems: [], notice: notice)
        }
        web.post("/admin/mailbox") { request, _ in
            _ = try app.state.require(anyOf: [.administrator])
            let form = try await app.form(request)
            var problems: [String] = []
            let settings = await mailboxSettings(from: form, problems: &problems)
            guard problems.isEmpty else {
                return try await page(status: nil, form: form, problems: problems, status: .unprocessableContent)
            }
            do {
                try await app.services.settings.save(
                    settings, by: try app.actingStaff(), section: "mailbox",
                    detail: ChannelSecrets.auditDetail(settings.masked()))
            } catch let error as ConfigurationError {
                return try await page(
                    status: nil, form: form, problems: error.problems, status: .unprocessableContent)
            }
            return WebRenderer.redirect(to: "/admin/mailbox?saved=1")
        }
        web.post("/admin/mailbox/poll") { request, _ in
            _ = try app.state.require(anyOf: [.administrator])
            _ = try await app.form(request)
            do {
                guard let pass = try await app.services.mailbox.poll() else {
                    return try await page(status: nil, form: nil, problems: [app.t("mailbox_not_enabled")])
                }
                return try await page(
                    status: nil, form: nil, problems: [],
                    notice: app.t("mailbox_polled", ["taken": "\(pass.taken)", "refused": "\(pass.refused)"]))
            } catch {
                return try await page(
                    status: nil, form: nil, problems: [app.t("mailbox_poll_failed", ["error": "\(error)"])],
                    status: .badGateway)
            }
        }
        web.post("/admin/mailbox/retry") { request, _ in
            _ = try app.state.require(anyOf: [.administrator])
            let form = try await app.form(request)
            guard try await app.services.mail.retry(form["id"], by: try app.actingStaff()) != nil else {
                throw WebError.notFound
            }
            return WebRenderer.redirect(to: "/admin/mailbox?done=retried")
        }
        web.get("/admin/mailbox/messages/:id/raw") { _, context in
            _ = try app.state.require(anyOf: [.administrator])
            guard
                let (message, bytes) = try await app.services.mail.raw(
                    context.parameters.get("id") ?? "", by: try app.actingStaff())
            else { throw WebError.notFound }
            return Response(
                status: .ok,
                headers: [
                    .contentType: "message/rfc822",
                    .contentDisposition: "attachment; filename=\"\(message.id).eml\"",
                    .init("X-Content-Type-Options")!: "nosniff",
                ],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }

    private func page(
        status filter: InboundMessage.Status?, form: WebForm?, problems: [String], notice: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        func value(_ name: String, _ current: String) -> String { form?.fields[name]?.first ?? current }
        let actor = try app.actingStaff()
        let settings = await app.services.settings.mailboxSettings()
        let mailboxStatus = try await app.services.mailbox.status()
        let counts = try await app.services.mail.counts(by: actor)
        let messages = try await app.services.mail.messages(status: filter, limit: 200, by: actor)
        let formatting = WebFormatting(
            calendar: await app.services.settings.current().calendar, language: app.state.language,
            strings: app.renderer.strings)
        let security = value("security", settings.security.rawValue)
        let filters: [InboundMessage.Status?] = [nil, .created, .appended, .ignored, .quarantined, .pending]
        let context: [String: Any] = [
            "title": app.t("admin_mailbox"), "tabs": AdminPages.tabs(app, current: "mailbox"),
            "returnPath": "/admin/mailbox", "notice": notice as Any, "problems": problems,
            "hasProblems": !problems.isEmpty,
            "enabled": form.map { $0["enabled"] == "on" } ?? settings.enabled,
            "host": value("host", settings.host), "port": value("port", "\(settings.port)"),
            "securities": MailboxSettings.Security.allCases.map {
                [
                    "value": $0.rawValue, "label": app.t("mailbox_security_\($0.rawValue)"),
                    "selected": $0.rawValue == security,
                ] as [String: Any]
            },
            "username": value("username", settings.username), "hasPassword": !settings.password.isEmpty,
            "folder": value("folder", settings.folder),
            "trustedCertificatesPath": value("trustedCertificatesPath", settings.trustedCertificatesPath ?? ""),
            "pollSeconds": value("pollSeconds", "\(settings.pollSeconds)"),
            "maxMessageMB": value("maxMessageMB", Self.megabytes(settings.maxMessageBytes)),
            "maxAttachmentMB": value("maxAttachmentMB", Self.megabytes(settings.maxAttachmentBytes)),
            "statusEnabled": settings.enabled ? app.t("yes") : app.t("no"),
            "lastPoll": mailboxStatus.lastPollAt.map(formatting.dateTime) ?? app.t("mailbox_never"),
            "lastSuccess": mailboxStatus.lastSuccessAt.map(formatting.dateTime) ?? app.t("mailbox_never"),
            "taken": mailboxStatus.taken, "refused": mailboxStatus.refused, "failures": mailboxStatus.failures,
            "lastError": mailboxStatus.consecutiveFailures > 0 ? mailboxStatus.lastError as Any : nil as String? as Any,
            "lastErrorAt": mailboxStatus.lastErrorAt.map(formatting.dateTime) ?? "",
            "filters": filters.map { option in
                [
                    "path": "/admin/mailbox" + (option.map { "?status=\($0.rawValue)" } ?? ""),
                    "label": app.t("mailbox_status_\(option?.rawValue ?? "all")"),
                    "count": option.map { counts[$0] ?? 0 } ?? counts.values.reduce(0, +),
                    "current": option == filter,
                ] as [String: Any]
            },
            "messages": messages.map { message in
                [
                    "id": message.id, "received": formatting.dateTime(message.receivedAt),
                    "status": message.status.rawValue,
                    "statusLabel": app.t("mailbox_status_\(message.status.rawValue)"),
                    "source": message.source, "sender": message.sender ?? "", "subject": message.subject ?? "",
                    "number": message.complaintNumber as Any, "reason": message.reason ?? "",
                    "retry": message.status == .quarantined || message.status == .pending,
                    "size": app.fileSize(message.rawSize),
                ] as [String: Any]
            },
            "hasMessages": !messages.isEmpty,
        ]
        return app.page("admin_mailbox", context, status: status)
    }

    private static func megabytes(_ bytes: Int) -> String {
        let value = Double(bytes) / Double(1 << 20)
        return value == value.rounded() ? String(Int(value)) : String(format: "%.2f", value)
    }

    /// The settings the form describes; the password field left empty keeps the stored password of the same user.
    private func mailboxSettings(from form: WebForm, problems: inout [String]) async -> MailboxSettings {
        var settings = await app.services.settings.mailboxSettings()
        settings.enabled = form["enabled"] == "on"
        settings.host = form["host"].trimmingCharacters(in: .whitespaces)
        if let port = Int(form["port"]), (1...65535).contains(port) {
            settings.port = port
        } else {
            problems.append(app.t("admin_bad_number", ["field": app.t("mailbox_port")]))
        }
        settings.security = MailboxSettings.Security(rawValue: form["security"]) ?? .tls
        let username = form["username"].trimmingCharacters(in: .whitespaces)
        if let password = form.optional("password") {
            settings.password = password
        } else if username != settings.username {
            settings.password = ""
        }
        settings.username = username
        settings.folder = form.optional("folder") ?? "INBOX"
        settings.trustedCertificatesPath = form.optional("trustedCertificatesPath")
        if let seconds = Int(form["pollSeconds"]) {
            settings.pollSeconds = seconds
        } else {
            problems.append(app.t("admin_bad_number", ["field": app.t("mailbox_pollSeconds")]))
        }
        for (field, keyPath) in [
            ("maxMessageMB", \MailboxSettings.maxMessageBytes),
            ("maxAttachmentMB", \MailboxSettings.maxAttachmentBytes),
        ] {
            if let megabytes = Double(form[field]), megabytes > 0, megabytes <= 1024 {
                settings[keyPath: keyPath] = Int(megabytes * Double(1 << 20))
            } else {
                problems.append(app.t("admin_bad_number", ["field": app.t("mailbox_\(field)")]))
            }
        }
        return settings
    }
}
