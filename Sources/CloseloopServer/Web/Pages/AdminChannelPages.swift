import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation
import Hummingbird

/// The channels customers write in by besides mail: the systems that post by webhook (each with its signing secret,
/// channel and starting department and category) and the WeChat official accounts (the server settings' token, and
/// what notices go back with). Secrets are never shown again: an empty field keeps the saved one; a new webhook
/// source given no secret gets one made and shown once.
struct AdminChannelPages {
    let app: WebApp

    enum Kind: String {
        case webhooks, wechat
    }

    /// The keys a typical complaint-progress template (投诉处理进度通知) gives its fields, as examples.
    static let fieldPlaceholders: [WeChatSettings.TemplateValue: String] = [
        .number: "character_string1", .summary: "thing2", .state: "thing3", .notice: "thing4", .time: "time5",
    ]

    func register(on web: RouterGroup<AppRequestContext>) {
        web.get("/admin/channels") { request, _ in
            _ = try app.state.require(anyOf: [.administrator])
            let query = request.uri.queryParameters
            let notice =
                query["saved"].map { _ in app.t("flash_saved") }
                ?? query["removed"].map { _ in
                    app.t("channels_removed")
                }
            return try await overview(notice: notice, problems: [])
        }
        web.post("/admin/channels/webhooks/window") { request, _ in
            _ = try app.state.require(anyOf: [.administrator])
            let form = try await app.form(request)
            var webhooks = await app.services.settings.webhookSettings()
            guard let seconds = Int(form["replayWindowSeconds"]) else {
                return try await overview(
                    notice: nil, problems: [app.t("channels_window_invalid")], status: .unprocessableContent)
            }
            webhooks.replayWindowSeconds = seconds
            return try await save(webhooks) { problems in
                try await overview(notice: nil, problems: problems, status: .unprocessableContent)
            }
        }
        for kind in [Kind.webhooks, .wechat] {
            web.get("/admin/channels/\(kind.rawValue)/new") { _, _ in
                _ = try app.state.require(anyOf: [.administrator])
                return try await editor(kind, name: nil, form: nil, problems: [])
            }
            web.get("/admin/channels/\(kind.rawValue)/:name") { _, context in
                _ = try app.state.require(anyOf: [.administrator])
                let name = context.parameters.get("name") ?? ""
                guard await exists(kind, name) else { throw WebError.notFound }
                return try await editor(kind, name: name, form: nil, problems: [])
            }
            web.post("/admin/channels/\(kind.rawValue)/new") { request, _ in
                _ = try app.state.require(anyOf: [.administrator])
                return try await submit(kind, name: nil, form: try await app.form(request))
            }
            web.post("/admin/channels/\(kind.rawValue)/:name") { request, context in
                _ = try app.state.require(anyOf: [.administrator])
                let name = context.parameters.get("name") ?? ""
                guard await exists(kind, name) else { throw WebError.notFound }
                return try await submit(kind, name: name, form: try await app.form(request))
            }
            web.post("/admin/channels/\(kind.rawValue)/:name/delete") { request, context in
                _ = try app.state.require(anyOf: [.administrator])
                _ = try await app.form(request)
                let name = context.parameters.get("name") ?? ""
                guard await exists(kind, name) else { throw WebError.notFound }
                let settings = app.services.settings
                let actor = try app.actingStaff()
                switch kind {
                case .webhooks:
                    let webhooks = await settings.webhookSettings().removing(name)
                    try await settings.save(
                        webhooks, by: actor, section: "webhooks", detail: ChannelSecrets.auditDetail(webhooks.masked()))
                case .wechat:
                    let weChat = await settings.weChatSettings().removing(name)
                    try await settings.save(
                        weChat, by: actor, section: "wechat", detail: ChannelSecrets.auditDetail(weChat.masked()))
                }
                return WebRenderer.redirect(to: "/admin/channels?removed=1")
            }
        }
    }

    private func exists(_ kind: Kind, _ name: String) async -> Bool {
        switch kind {
        case .webhooks: await app.services.settings.webhookSettings().sources.contains { $0.name == name }
        case .wechat: await app.services.settings.weChatSettings().account(named: name) != nil
        }
    }

    // MARK: - Saving

    private func submit(_ kind: Kind, name: String?, form: WebForm) async throws -> Response {
        switch kind {
        case .webhooks:
            var source = WebhookSettings.Source(
                name: form["name"], secret: form["secret"],
                channel: Channel(rawValue: form["channel"]) ?? .im, enabled: form["enabled"] == "on",
                department: form.optional("department").map { DepartmentID($0) }, category: form.optional("category"))
            // A new source given no secret gets a strong one, shown once.
            var madeSecret: String?
            if name == nil, source.secret.isEmpty {
                source.secret = RandomToken.make()
                madeSecret = source.secret
            }
            let webhooks = await app.services.settings.webhookSettings().putting(source, replacing: name)
            return try await save(webhooks, made: madeSecret.map { (source.name, $0) }) { problems in
                try await editor(kind, name: name, form: form, problems: problems, status: .unprocessableContent)
            }
        case .wechat:
            var fields: [String: WeChatSettings.TemplateValue] = [:]
            var twice: [String] = []
            for value in WeChatSettings.TemplateValue.allCases {
                let key = form["field_\(value.rawValue)"]
                guard !key.isEmpty else { continue }
                if fields[key] != nil { twice.append(app.t("channels_field_twice", ["key": key])) }
                fields[key] = value
            }
            guard twice.isEmpty else {
                return try await editor(kind, name: name, form: form, problems: twice, status: .unprocessableContent)
            }
            let account = WeChatSettings.Account(
                name: form["name"], token: form["token"], enabled: form["enabled"] == "on",
                appID: form.optional("appID"), appSecret: form.optional("appSecret"),
                templateID: form.optional("templateID"), templateFields: fields.isEmpty ? nil : fields,
                apiURL: form.optional("apiURL"))
            let weChat = await app.services.settings.weChatSettings().putting(account, replacing: name)
            return try await save(weChat) { problems in
                try await editor(kind, name: name, form: form, problems: problems, status: .unprocessableContent)
            }
        }
    }

    private func save(
        _ webhooks: WebhookSettings, made secret: (source: String, secret: String)? = nil,
        refused: ([String]) async throws -> Response
    ) async throws -> Response {
        do {
            try await app.services.settings.save(
                webhooks, by: try app.actingStaff(), section: "webhooks",
                detail: ChannelSecrets.auditDetail(webhooks.masked()))
        } catch let error as ConfigurationError {
            return try await refused(error.problems)
        }
        guard let secret else { return WebRenderer.redirect(to: "/admin/channels?saved=1") }
        return try await overview(
            notice: app.t("channels_secret_made", ["source": secret.source]), problems: [], secret: secret.secret)
    }

    private func save(_ weChat: WeChatSettings, refused: ([String]) async throws -> Response) async throws
        -> Response
    {
        do {
            try await app.services.settings.save(
                weChat, by: try app.actingStaff(), section: "wechat",
                detail: ChannelSecrets.auditDetail(weChat.masked()))
        } catch let error as ConfigurationError {
            return try await refused(error.problems)
        }
        return WebRenderer.redirect(to: "/admin/channels?saved=1")
    }

    // MARK: - Pages

    private func overview(
        notice: String?, problems: [String], secret: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let settings = app.services.settings
        let webhooks = await settings.webhookSettings()
        let weChat = await settings.weChatSettings()
        let directory = try await app.directory()
        let taxonomy = await settings.categories()
        let received = try await app.services.received.messages(
            channels: [.webhook, .wechat], limit: 50, by: try app.actingStaff())
        let formatting = WebFormatting(
            calendar: await settings.current().calendar, language: app.state.language, strings: app.renderer.strings)
        let context: [String: Any] = [
            "title": app.t("admin_channels"), "tabs": AdminPages.tabs(app, current: "channels"),
            "returnPath": "/admin/channels", "notice": notice as Any, "problems": problems,
            "hasProblems": !problems.isEmpty, "madeSecret": secret as Any,
            "sources": webhooks.sources.map { source in
                [
                    "name": source.name, "path": "/api/v1/intake/webhook/\(source.name)",
                    "channel": app.t("channel_\(source.channel.rawValue)"),
                    "department": source.department.map { directory.departmentName($0) } ?? "",
                    "category": source.category.map { taxonomy.name(of: $0, in: app.state.language) } ?? "",
                    "enabled": source.enabled ? app.t("yes") : app.t("no"),
                ] as [String: Any]
            },
            "hasSources": !webhooks.sources.isEmpty,
            "replayWindowSeconds": "\(webhooks.replayWindowSeconds)",
            "accounts": weChat.accounts.map { account in
                [
                    "name": account.name, "path": "/wechat/\(account.name)",
                    "enabled": account.enabled ? app.t("yes") : app.t("no"),
                    "sends": account.sends
                        ? app.t(
                            account.templateID?.isEmpty == false ? "channels_sends_template" : "channels_sends_text")
                        : app.t("channels_sends_none"),
                ] as [String: Any]
            },
            "hasAccounts": !weChat.accounts.isEmpty,
            "received": received.map { message in
                [
                    "received": formatting.dateTime(message.receivedAt),
                    "channel": app.t("channels_inbound_\(message.channel)"), "source": message.source,
                    "status": message.status.rawValue,
                    "statusLabel": app.t("channels_status_\(message.status.rawValue)"),
                    "sender": message.sender ?? "", "subject": message.subject ?? "",
                    "number": message.complaintNumber as Any, "reason": message.reason ?? "",
                ] as [String: Any]
            },
            "hasReceived": !received.isEmpty,
        ]
        return app.page("admin_channels", context, status: status)
    }

    private func editor(
        _ kind: Kind, name: String?, form: WebForm?, problems: [String], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        func value(_ field: String, _ current: String?) -> String { form?.fields[field]?.first ?? current ?? "" }
        let settings = app.services.settings
        var context: [String: Any] = [
            "title": app.t(name == nil ? "channels_new_\(kind.rawValue)" : "channels_edit_\(kind.rawValue)"),
            "tabs": AdminPages.tabs(app, current: "channels"), "returnPath": "/admin/channels",
            "problems": problems, "hasProblems": !problems.isEmpty, "isNew": name == nil,
            "action": "/admin/channels/\(kind.rawValue)/\(name ?? "new")",
            "deleteAction": name.map { "/admin/channels/\(kind.rawValue)/\($0)/delete" } as Any,
        ]
        switch kind {
        case .webhooks:
            let sources = await settings.webhookSettings().sources
            let source = sources.first { $0.name == name }
            let directory = try await app.directory()
            let taxonomy = await settings.categories()
            let channel = value("channel", source?.channel.rawValue ?? Channel.im.rawValue)
            let department = value("department", source?.department?.rawValue)
            let category = value("category", source?.category)
            let none: [String: Any] = ["value": "", "label": app.t("channels_none")]
            var departments: [[String: Any]] = [none.merging(["selected": department.isEmpty]) { $1 }]
            for entry in directory.departments {
                let code = entry.id.rawValue
                departments.append(["value": code, "label": app.text(entry.name), "selected": code == department])
            }
            var categories: [[String: Any]] = [none.merging(["selected": category.isEmpty]) { $1 }]
            for entry in taxonomy.categories {
                categories.append([
                    "value": entry.code, "label": app.text(entry.name), "selected": entry.code == category,
                ])
            }
            var channels: [[String: Any]] = []
            for option in [Channel.im, .api, .web] {
                let label = app.t("channel_\(option.rawValue)")
                channels.append(["value": option.rawValue, "label": label, "selected": option.rawValue == channel])
            }
            let enabled = form.map { $0["enabled"] == "on" } ?? source?.enabled ?? true
            context["webhook"] =
                [
                    "name": value("name", source?.name), "enabled": enabled, "hasSecret": source != nil,
                    "channels": channels, "departments": departments, "categories": categories,
                ] as [String: Any]
        case .wechat:
            let accounts = await settings.weChatSettings().accounts
            let account = accounts.first { $0.name == name }
            let saved = account?.templateFields ?? [:]
            var fields: [[String: Any]] = []
            for field in WeChatSettings.TemplateValue.allCases {
                let key = value("field_\(field.rawValue)", saved.first { $0.value == field }?.key)
                let label = app.t("channels_field_\(field.rawValue)")
                fields.append([
                    "value": field.rawValue, "label": label, "key": key,
                    "placeholder": Self.fieldPlaceholders[field] ?? "",
                ])
            }
            let enabled = form.map { $0["enabled"] == "on" } ?? account?.enabled ?? true
            context["wechat"] =
                [
                    "name": value("name", account?.name), "enabled": enabled, "hasToken": account != nil,
                    "hasSecret": account?.appSecret?.isEmpty == false, "appID": value("appID", account?.appID),
                    "templateID": value("templateID", account?.templateID), "apiURL": value("apiURL", account?.apiURL),
                    "fields": fields,
                ] as [String: Any]
        }
        return app.page("admin_channel", context, status: status)
    }
}
