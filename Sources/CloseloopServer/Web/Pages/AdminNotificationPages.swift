import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation
import Hummingbird

/// Where people and departments are told (per-user email and SMS, per-department group robots and webhooks), with
/// a test button per channel, and the outbox: what was sent, what waits for another attempt, what failed and why.
struct AdminNotificationPages {
    let app: WebApp

    func register(on web: RouterGroup<AppRequestContext>) {
        web.get("/admin/notifications") { request, _ in
            _ = try app.state.require(anyOf: [.administrator])
            let query = request.uri.queryParameters
            let notice =
                query["added"].map { _ in app.t("flash_saved") }
                ?? query["removed"].map { _ in app.t("notify_removed") }
            return try await targetsPage(form: nil, errors: [:], notice: notice)
        }
        web.post("/admin/notifications") { request, _ in try await add(request) }
        web.post("/admin/notifications/remove") { request, _ in
            _ = try app.state.require(anyOf: [.administrator])
            let form = try await app.form(request)
            guard let owner = Self.owner(form["owner"]) else { throw WebError.notFound }
            try await app.services.notificationTargets.remove(
                NotificationTarget(owner: owner, channel: form["channel"], address: form["address"]),
                by: try app.actingStaff())
            return WebRenderer.redirect(to: "/admin/notifications?removed=1")
        }
        web.post("/admin/notifications/test") { request, _ in
            _ = try app.state.require(anyOf: [.administrator])
            let form = try await app.form(request)
            let channel = form["channel"]
            let address = form["address"]
            guard NotificationTarget.problem(channel: channel, address: address) == nil else {
                throw WebError.notFound
            }
            do {
                try await app.services.outbox.sendTest(channel: channel, address: address, by: try app.actingStaff())
                return try await targetsPage(
                    form: nil, errors: [:], notice: app.t("notify_test_sent", ["address": address]))
            } catch {
                return try await targetsPage(
                    form: nil, errors: [:],
                    failure: app.t("notify_test_failed", ["address": address, "error": "\(error)"]),
                    status: .badGateway)
            }
        }
        web.get("/admin/outbox") { request, _ in
            _ = try app.state.require(anyOf: [.administrator])
            let query = request.uri.queryParameters
            let status = query["status"].flatMap { OutboxMessage.Status(rawValue: String($0)) }
            let notice = query["retried"].map { _ in app.t("outbox_retried") }
            return try await outboxPage(status: status, notice: notice)
        }
        web.post("/admin/outbox/retry") { request, _ in
            _ = try app.state.require(anyOf: [.administrator])
            let form = try await app.form(request)
            guard try await app.services.outbox.retry(form["id"], by: try app.actingStaff()) else {
                throw WebError.notFound
            }
            return WebRenderer.redirect(to: "/admin/outbox?retried=1")
        }
    }

    /// `user:<id>` or `department:<id>`, as the owner picker posts it.
    static func owner(_ value: String) -> NotificationTarget.Owner? {
        let parts = value.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[1].isEmpty else { return nil }
        switch parts[0] {
        case "user": return .user(UserID(parts[1]))
        case "department": return .department(DepartmentID(parts[1]))
        default: return nil
        }
    }

    private func add(_ request: Request) async throws -> Response {
        _ = try app.state.require(anyOf: [.administrator])
        let form = try await app.form(request)
        guard let owner = Self.owner(form["owner"]) else {
            return try await targetsPage(
                form: form, errors: ["owner": app.t("notify_pick_owner")], status: .unprocessableContent)
        }
        do {
            try await app.services.notificationTargets.add(
                NotificationTarget(
                    owner: owner, channel: form["channel"],
                    address: form["address"].trimmingCharacters(in: .whitespaces),
                    secret: form.optional("secret")),
                by: try app.actingStaff())
        } catch DomainError.validation(let issues) {
            // The pages' own words for each problem the service names by code.
            let errors = Dictionary(
                issues.map { issue in
                    (
                        issue.field,
                        issue.field == "owner" ? app.t("notify_pick_owner") : app.t("notify_problem_\(issue.code)")
                    )
                }, uniquingKeysWith: { first, _ in first })
            return try await targetsPage(form: form, errors: errors, status: .unprocessableContent)
        }
        return WebRenderer.redirect(to: "/admin/notifications?added=1")
    }

    private func targetsPage(
        form: WebForm?, errors: [String: String], notice: String? = nil, failure: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let directory = try await app.directory()
        // Active users and every department may be given a channel; a departed user's channels are not listed.
        let owners =
            directory.users.filter(\.active).map { NotificationTarget.Owner.user($0.id) }
            + directory.departments.map { NotificationTarget.Owner.department($0.id) }
        let targets = try await app.services.notificationTargets.targets(of: owners)
        func ownerLabel(_ owner: NotificationTarget.Owner) -> String {
            switch owner {
            case .user(let id):
                let username = directory.users.first { $0.id == id }?.username ?? id.rawValue
                return app.t("notify_owner_user", ["name": directory.userName(id), "username": username])
            case .department(let id):
                return app.t("notify_owner_department", ["name": directory.departmentName(id)])
            }
        }
        let chosenOwner = form?["owner"] ?? ""
        let chosenChannel = form?["channel"] ?? "email"
        let context: [String: Any] = [
            "title": app.t("admin_notifications"), "tabs": AdminPages.tabs(app, current: "notifications"),
            "returnPath": "/admin/notifications", "notice": notice as Any, "failure": failure as Any,
            "targets": targets.map { target in
                [
                    "owner": "\(target.owner.kind):\(target.owner.id)", "who": ownerLabel(target.owner),
                    "channel": target.channel, "channelLabel": app.t("channel_\(target.channel)"),
                    "address": target.address, "signed": target.secret != nil,
                ] as [String: Any]
            },
            "hasTargets": !targets.isEmpty,
            "owners": owners.map { owner in
                let value = "\(owner.kind):\(owner.id)"
                return ["value": value, "label": ownerLabel(owner), "selected": value == chosenOwner] as [String: Any]
            },
            "channels": NotificationTarget.channels.map { channel in
                ["value": channel, "label": app.t("channel_\(channel)"), "selected": channel == chosenChannel]
                    as [String: Any]
            },
            "values": ["address": form?["address"] ?? ""],
            "errors": errors,
        ]
        return app.page("admin_notifications", context, status: status)
    }

    private func outboxPage(status: OutboxMessage.Status?, notice: String?) async throws -> Response {
        let counts = try await app.services.outbox.counts()
        let messages = try await app.services.outbox.messages(status: status, limit: 200)
        let formatting = WebFormatting(
            calendar: await app.services.settings.current().calendar, language: app.state.language,
            strings: app.renderer.strings)
        let filters: [OutboxMessage.Status?] = [nil, .pending, .sent, .failed]
        let context: [String: Any] = [
            "title": app.t("admin_outbox"), "tabs": AdminPages.tabs(app, current: "outbox"),
            "returnPath": "/admin/outbox\(status.map { "?status=\($0.rawValue)" } ?? "")", "notice": notice as Any,
            "filters": filters.map { filter in
                let count = filter.map { counts[$0] ?? 0 } ?? counts.values.reduce(0, +)
                return [
                    "path": "/admin/outbox" + (filter.map { "?status=\($0.rawValue)" } ?? ""),
                    "label": app.t("outbox_status_\(filter?.rawValue ?? "all")"), "count": count,
                    "current": filter == status,
                ] as [String: Any]
            },
            "messages": messages.map { message in
                [
                    "id": message.id, "created": formatting.dateTime(message.createdAt),
                    "status": message.status.rawValue, "statusLabel": app.t("outbox_status_\(message.status.rawValue)"),
                    "failed": message.status == .failed, "attempts": message.attempts,
                    "channel": app.t("channel_\(message.channel)"), "recipient": message.recipient,
                    "subject": message.subject, "error": message.lastError ?? "",
                    "next": message.status == .pending ? formatting.dateTime(message.nextAttemptAt) : "",
                    "sent": message.sentAt.map(formatting.dateTime) ?? "",
                ] as [String: Any]
            },
            "hasMessages": !messages.isEmpty,
        ]
        return app.page("admin_outbox", context)
    }
}
