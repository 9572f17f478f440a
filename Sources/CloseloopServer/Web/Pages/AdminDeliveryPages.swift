import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation
import Hummingbird

/// How notifications leave (sendmail or an SMTP relay, the SMS gateway, retries) and when clocks warn, escalate,
/// cost a penalty and what monitoring watches. Secrets are never shown again: an empty password field keeps the
/// stored one.
struct AdminDeliveryPages {
    let app: WebApp

    func register(on web: RouterGroup<AppRequestContext>) {
        for section in ["delivery", "alerts"] {
            web.get("/admin/\(section)") { request, _ in
                _ = try app.state.require(anyOf: [.administrator])
                let notice = request.uri.queryParameters["saved"].map { _ in app.t("flash_saved") }
                return try await show(section, form: nil, problems: [], notice: notice)
            }
            web.post("/admin/\(section)") { request, _ in
                _ = try app.state.require(anyOf: [.administrator])
                let form = try await app.form(request)
                var problems: [String] = []
                let actor = try app.actingStaff()
                if section == "delivery" {
                    let delivery = await deliverySettings(from: form, problems: &problems)
                    if !problems.isEmpty {
                        return try await show(section, form: form, problems: problems, status: .unprocessableContent)
                    }
                    try await app.services.settings.save(
                        delivery, by: actor, section: section, detail: Self.summary(delivery))
                    let notices = CustomerNoticeSettings(
                        acknowledgement: form["notice_acknowledgement"] == "on",
                        informationRequest: form["notice_informationRequest"] == "on",
                        proposal: form["notice_proposal"] == "on", result: form["notice_result"] == "on",
                        progress: form["notice_progress"] == "on")
                    if notices != (await app.services.settings.customerNotices()) {
                        try await app.services.settings.save(
                            notices, by: actor, section: "customer_notices",
                            detail: String(decoding: try JSONEncoder().encode(notices), as: UTF8.self))
                    }
                } else {
                    let alerts = alertPolicy(from: form, problems: &problems)
                    if !problems.isEmpty {
                        return try await show(section, form: form, problems: problems, status: .unprocessableContent)
                    }
                    try await app.services.settings.save(
                        alerts, by: actor, section: section,
                        detail: String(decoding: try JSONEncoder().encode(alerts), as: UTF8.self))
                }
                return WebRenderer.redirect(to: "/admin/\(section)?saved=1")
            }
        }
    }

    /// What the audit log keeps of a delivery change: everything but the secrets.
    static func summary(_ delivery: DeliverySettings) -> String {
        var redacted = delivery
        if redacted.smtp?.password != nil { redacted.smtp?.password = ChannelSecrets.hidden }
        if redacted.smsGatewayToken != nil { redacted.smsGatewayToken = ChannelSecrets.hidden }
        return ChannelSecrets.auditDetail(redacted)
    }

    private func show(
        _ section: String, form: WebForm?, problems: [String], notice: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        func value(_ name: String, _ current: String) -> String { form?.fields[name]?.first ?? current }
        var context: [String: Any] = [
            "title": app.t("admin_\(section)"), "tabs": AdminPages.tabs(app, current: section),
            "problems": problems, "hasProblems": !problems.isEmpty, "notice": notice as Any,
            "returnPath": "/admin/\(section)",
        ]
        if section == "delivery" {
            let delivery = await app.services.settings.deliverySettings()
            let smtp = delivery.smtp
            let transport = value("transport", smtp == nil ? "sendmail" : "smtp")
            context["transports"] = ["sendmail", "smtp"].map {
                ["value": $0, "label": app.t("delivery_transport_\($0)"), "checked": $0 == transport] as [String: Any]
            }
            context["emailFrom"] = value("emailFrom", delivery.emailFrom)
            context["sendmailPath"] = value("sendmailPath", delivery.sendmailPath)
            context["smtpHost"] = value("smtpHost", smtp?.host ?? "")
            context["smtpPort"] = value("smtpPort", "\(smtp?.port ?? 587)")
            let security = value("smtpSecurity", (smtp?.security ?? .starttls).rawValue)
            context["securities"] = SMTPSettings.Security.allCases.map {
                [
                    "value": $0.rawValue, "label": app.t("delivery_security_\($0.rawValue)"),
                    "selected": $0.rawValue == security,
                ] as [String: Any]
            }
            context["smtpUsername"] = value("smtpUsername", smtp?.username ?? "")
            context["hasSmtpPassword"] = smtp?.password != nil
            context["trustedCertificatesPath"] = value("trustedCertificatesPath", smtp?.trustedCertificatesPath ?? "")
            context["heloName"] = value("heloName", smtp?.heloName ?? "")
            context["smsGatewayURL"] = value("smsGatewayURL", delivery.smsGatewayURL ?? "")
            context["hasSmsToken"] = delivery.smsGatewayToken != nil
            context["portalURL"] = value("portalURL", delivery.portalURL ?? "")
            let notices = await app.services.settings.customerNotices()
            context["notices"] = [
                ("acknowledgement", notices.acknowledgement), ("informationRequest", notices.informationRequest),
                ("proposal", notices.proposal), ("result", notices.result), ("progress", notices.progress),
            ].map { name, on in
                [
                    "name": "notice_\(name)", "label": app.t("notice_\(name)"),
                    "checked": form.map { $0["notice_\(name)"] == "on" } ?? on,
                ] as [String: Any]
            }
            context["maxAttempts"] = value("maxAttempts", "\(delivery.maxAttempts)")
            context["retryBaseSeconds"] = value("retryBaseSeconds", Self.number(delivery.retryBaseSeconds))
        } else {
            let alerts = await app.services.settings.alertPolicy()
            context["warningPercent"] = value("warningPercent", Self.number(alerts.warningAt * 100))
            context["escalation"] = value(
                "escalation",
                alerts.escalation.map { level in
                    ((level.notifyOwner ? ["owner"] : []) + level.roles.map(\.rawValue)).joined(separator: ", ")
                }.joined(separator: "\n"))
            context["roleCodes"] =
                (["owner = \(app.t("alerts_owner"))"] + Role.allCases.map { "\($0.rawValue) = \(app.text($0.label))" })
                .joined(separator: app.state.language.clauseSeparator)
            context["severities"] = Severity.allCases.map { severity in
                [
                    "value": severity.rawValue, "label": app.t("severity_\(severity.rawValue)"),
                    "checked": form.map { $0.all("directorSeverity").contains(severity.rawValue) }
                        ?? alerts.directorSeverities.contains(severity),
                ] as [String: Any]
            }
            func clocks(_ field: String, _ current: Set<ClockKind>) -> [[String: Any]] {
                ClockKind.allCases.map { clock in
                    [
                        "field": field, "value": clock.rawValue, "label": app.text(clock.label),
                        "checked": form.map { $0.all(field).contains(clock.rawValue) } ?? current.contains(clock),
                    ] as [String: Any]
                }
            }
            context["penaltyClocks"] = clocks("penaltyClock", alerts.penaltyClocks)
            context["reminderClocks"] = clocks("reminderClock", alerts.reminderClocks)
            let monitoring = alerts.monitoring
            context["closurePercent"] = value("closurePercent", Self.number(monitoring.closureRate * 100))
            context["satisfaction"] = value("satisfaction", Self.number(monitoring.satisfaction))
            context["negativePercent"] = value("negativePercent", Self.number(monitoring.negativeRate * 100))
            context["windowDays"] = value("windowDays", "\(monitoring.windowDays)")
            context["dailyReportAt"] = value("dailyReportAt", alerts.dailyReportAt.description)
            let burst = alerts.burst
            context["burstEnabled"] = form.map { $0.bool("burstEnabled") } ?? burst.enabled
            context["burstCount"] = value("burstCount", "\(burst.count)")
            context["burstWindowMinutes"] = value("burstWindowMinutes", "\(burst.windowMinutes)")
            context["burstScorePercent"] = value("burstScorePercent", Self.number(burst.minimumScore * 100))
            context["burstWatchSeconds"] = value("burstWatchSeconds", "\(burst.watchSeconds)")
            let health = alerts.health
            context["healthIntakeFailures"] = value("healthIntakeFailures", "\(health.intakeFailures)")
            context["healthSlowMilliseconds"] = value("healthSlowMilliseconds", "\(health.slowPageMilliseconds)")
            context["healthStaleMinutes"] = value("healthStaleMinutes", "\(health.staleMinutes)")
            context["healthOutboxBacklog"] = value("healthOutboxBacklog", "\(health.outboxBacklog)")
        }
        return app.page("admin_\(section)", context, status: status)
    }

    private static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    private func deliverySettings(from form: WebForm, problems: inout [String]) async -> DeliverySettings {
        var delivery = await app.services.settings.deliverySettings()
        func required(_ name: String) -> String {
            let text = form[name].trimmingCharacters(in: .whitespaces)
            if text.isEmpty { problems.append(app.t("admin_required", ["field": app.t("delivery_\(name)")])) }
            return text
        }
        delivery.emailFrom = required("emailFrom")
        if !delivery.emailFrom.isEmpty && !ContactFormat.isEmail(delivery.emailFrom) {
            problems.append(app.t("delivery_bad_sender"))
        }
        if form["transport"] == "smtp" {
            let host = required("smtpHost")
            let port = Int(form["smtpPort"]) ?? 0
            if !(1...65535).contains(port) { problems.append(app.t("delivery_bad_port")) }
            let security = SMTPSettings.Security(rawValue: form["smtpSecurity"]) ?? .starttls
            let username = form.optional("smtpUsername")
            // An empty password field keeps the stored password of the same user; a new user needs one.
            var password = form.optional("smtpPassword")
            if password == nil, let previous = delivery.smtp, previous.username == username {
                password = previous.password
            }
            if username != nil && password == nil { problems.append(app.t("delivery_password_needed")) }
            if username != nil && security == .plain { problems.append(app.t("delivery_plain_auth")) }
            let certificates = form.optional("trustedCertificatesPath")
            if let certificates, !FileManager.default.isReadableFile(atPath: certificates) {
                problems.append(app.t("delivery_bad_certificates", ["path": certificates]))
            }
            delivery.smtp = SMTPSettings(
                host: host, port: port, security: security, username: username,
                password: username == nil ? nil : password, trustedCertificatesPath: certificates,
                heloName: form.optional("heloName"))
        } else {
            delivery.sendmailPath = required("sendmailPath")
            delivery.smtp = nil
        }
        let gateway = form.optional("smsGatewayURL")
        if let gateway, !(gateway.hasPrefix("https://") || gateway.hasPrefix("http://")) {
            problems.append(app.t("delivery_bad_gateway"))
        }
        delivery.smsGatewayURL = gateway
        if gateway == nil {
            delivery.smsGatewayToken = nil
        } else if let token = form.optional("smsGatewayToken") {
            delivery.smsGatewayToken = token
        }
        let portal = form.optional("portalURL")
        if let portal, !(portal.hasPrefix("https://") || portal.hasPrefix("http://")) || portal.contains(" ") {
            problems.append(app.t("delivery_bad_portal"))
        }
        delivery.portalURL = portal
        if let attempts = Int(form["maxAttempts"]), (1...50).contains(attempts) {
            delivery.maxAttempts = attempts
        } else {
            problems.append(app.t("admin_bad_number", ["field": app.t("delivery_maxAttempts")]))
        }
        if let seconds = Double(form["retryBaseSeconds"]), seconds > 0, seconds <= 3600 {
            delivery.retryBaseSeconds = seconds
        } else {
            problems.append(app.t("admin_bad_number", ["field": app.t("delivery_retryBaseSeconds")]))
        }
        return delivery
    }

    private func alertPolicy(from form: WebForm, problems: inout [String]) -> AlertPolicy {
        var alerts = AlertPolicy.standard
        func percent(_ name: String, open: Bool) -> Double? {
            guard let value = Double(form[name]), open ? (value > 0 && value < 100) : (0...100).contains(value) else {
                problems.append(app.t("admin_bad_number", ["field": app.t("alerts_\(name)")]))
                return nil
            }
            return value / 100
        }
        alerts.warningAt = percent("warningPercent", open: true) ?? alerts.warningAt
        var levels: [EscalationLevel] = []
        for line in form["escalation"].split(whereSeparator: \.isNewline) {
            var level = EscalationLevel(notifyOwner: false, roles: [])
            for code in line.split(whereSeparator: { $0 == "," || $0 == "，" || $0 == " " }) {
                if code == "owner" {
                    level.notifyOwner = true
                } else if let role = Role(rawValue: String(code)) {
                    level.roles.append(role)
                } else {
                    problems.append(app.t("admin_bad_role", ["value": String(code)]))
                }
            }
            if level.notifyOwner || !level.roles.isEmpty { levels.append(level) }
        }
        if levels.isEmpty { problems.append(app.t("alerts_no_levels")) }
        alerts.escalation = levels
        alerts.directorSeverities = Set(form.all("directorSeverity").compactMap(Severity.init(rawValue:)))
        alerts.penaltyClocks = Set(form.all("penaltyClock").compactMap(ClockKind.init(rawValue:)))
        alerts.reminderClocks = Set(form.all("reminderClock").compactMap(ClockKind.init(rawValue:)))
        alerts.monitoring.closureRate = percent("closurePercent", open: false) ?? alerts.monitoring.closureRate
        alerts.monitoring.negativeRate = percent("negativePercent", open: false) ?? alerts.monitoring.negativeRate
        if let satisfaction = Double(form["satisfaction"]), (0...100).contains(satisfaction) {
            alerts.monitoring.satisfaction = satisfaction
        } else {
            problems.append(app.t("admin_bad_number", ["field": app.t("alerts_satisfaction")]))
        }
        if let days = Int(form["windowDays"]), (1...365).contains(days) {
            alerts.monitoring.windowDays = days
        } else {
            problems.append(app.t("admin_bad_number", ["field": app.t("alerts_windowDays")]))
        }
        if let time = LocalTime(form["dailyReportAt"]) {
            alerts.dailyReportAt = time
        } else {
            problems.append(app.t("alerts_bad_time", ["value": form["dailyReportAt"]]))
        }
        alerts.burst = burstRule(from: form, problems: &problems)
        alerts.health = healthTargets(from: form, current: alerts.health, problems: &problems)
        return alerts
    }

    /// The health thresholds as typed; each number within `HealthTargets.problems`' bounds.
    private func healthTargets(from form: WebForm, current: HealthTargets, problems: inout [String]) -> HealthTargets {
        var targets = current
        func number(_ name: String, _ range: ClosedRange<Int>) -> Int? {
            alertNumber(name, range, in: form, problems: &problems)
        }
        targets.intakeFailures = number("healthIntakeFailures", 1...10_000) ?? targets.intakeFailures
        targets.slowPageMilliseconds = number("healthSlowMilliseconds", 50...600_000) ?? targets.slowPageMilliseconds
        targets.staleMinutes = number("healthStaleMinutes", 2...1_440) ?? targets.staleMinutes
        targets.outboxBacklog = number("healthOutboxBacklog", 1...10_000_000) ?? targets.outboxBacklog
        return targets
    }

    /// The burst rule as typed; each number within the rule's own bounds (`BurstRule.problems`).
    private func burstRule(from form: WebForm, problems: inout [String]) -> BurstRule {
        var rule = BurstRule.standard
        rule.enabled = form.bool("burstEnabled")
        func number(_ name: String, _ range: ClosedRange<Int>) -> Int? {
            alertNumber(name, range, in: form, problems: &problems)
        }
        rule.count = number("burstCount", 3...1000) ?? rule.count
        rule.windowMinutes = number("burstWindowMinutes", 10...1440) ?? rule.windowMinutes
        rule.minimumScore = Double(number("burstScorePercent", 10...95) ?? Int(rule.minimumScore * 100)) / 100
        rule.watchSeconds = number("burstWatchSeconds", 5...3600) ?? rule.watchSeconds
        return rule
    }

    /// The whole number typed in the alerts form's field `name`, if it is within `range`; otherwise the field's
    /// problem, named by its label (`alerts_<name>`).
    private func alertNumber(_ name: String, _ range: ClosedRange<Int>, in form: WebForm, problems: inout [String])
        -> Int?
    {
        guard let value = Int(form[name]), range.contains(value) else {
            problems.append(app.t("admin_bad_number", ["field": app.t("alerts_\(name)")]))
            return nil
        }
        return value
    }
}
