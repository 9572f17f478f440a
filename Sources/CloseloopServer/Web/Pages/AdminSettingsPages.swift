import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation
import Hummingbird

/// The administrator's settings pages: category taxonomy, policy targets, business calendar, authority matrix and
/// message templates. Each validates the whole document, reports every problem at once, applies at once in this
/// server, and writes the change to the audit log.
struct AdminSettingsPages {
    let app: WebApp

    func register(on web: RouterGroup<AppRequestContext>) {
        for section in ["categories", "policy", "calendar", "authority", "templates", "quality"] {
            web.get("/admin/\(section)") { request, _ in
                _ = try app.state.require(anyOf: [.administrator])
                let notice = request.uri.queryParameters["saved"].map { _ in app.t("flash_saved") }
                return try await show(section, form: nil, problems: [], notice: notice)
            }
            web.post("/admin/\(section)") { request, _ in
                _ = try app.state.require(anyOf: [.administrator])
                let form = try await app.form(request)
                do {
                    try await save(section, form: form)
                    return WebRenderer.redirect(to: "/admin/\(section)?saved=1")
                } catch let error as ConfigurationError {
                    return try await show(section, form: form, problems: error.problems, status: .unprocessableContent)
                }
            }
        }
    }

    private func show(
        _ section: String, form: WebForm?, problems: [String], notice: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let (policy, calendar) = await app.services.settings.current()
        var context: [String: Any] = [
            "title": app.t("admin_\(section)"), "tabs": AdminPages.tabs(app, current: section),
            "problems": problems, "hasProblems": !problems.isEmpty, "notice": notice as Any, "section": section,
            "returnPath": "/admin/\(section)",
        ]
        func value(_ name: String, _ current: String) -> String { form?.fields[name]?.first ?? current }
        switch section {
        case "categories":
            let taxonomy = await app.services.settings.categories()
            context["text"] = value("text", Self.text(of: taxonomy))
        case "policy":
            context["priorities"] = Priority.allCases.map { priority in
                let targets = policy.priorities[priority]
                return [
                    "code": priority.rawValue,
                    "fields": [
                        ("firstResponse", targets?.firstResponse), ("resolution", targets?.resolution),
                        ("customerUpdate", targets?.customerUpdate),
                    ].map { name, limit in
                        [
                            "name": "p.\(priority.rawValue).\(name)", "label": app.t("policy_\(name)"),
                            "value": value("p.\(priority.rawValue).\(name)", limit?.description ?? ""),
                        ]
                    },
                    "calendarTime": form.map { $0.all("calendarPriority").contains(priority.rawValue) }
                        ?? policy.calendarTimePriorities.contains(priority),
                ] as [String: Any]
            }
            context["severities"] = Severity.allCases.map { severity in
                let targets = policy.severities[severity]
                let key = "s.\(severity.rawValue)"
                return [
                    "code": severity.rawValue, "label": app.t("severity_\(severity.rawValue)"),
                    "firstContact": value("\(key).firstContact", targets?.firstContact.description ?? ""),
                    "secondContact": value("\(key).secondContact", targets?.secondContact.description ?? ""),
                    "maxContacts": value("\(key).maxContacts", targets?.maxContacts.map(String.init) ?? ""),
                    "penalty": value("\(key).penalty", targets?.penalty.description ?? ""),
                    "report": value("\(key).report", targets?.reportToManagement?.description ?? ""),
                    "calendarTime": form.map { $0.all("calendarSeverity").contains(severity.rawValue) }
                        ?? policy.calendarTimeSeverities.contains(severity),
                ] as [String: Any]
            }
            context["fixed"] = Self.fixedClocks.map { clock in
                [
                    "name": "fixed.\(clock.rawValue)", "label": app.text(clock.label),
                    "value": value("fixed.\(clock.rawValue)", policy.fixedLimits[clock]?.description ?? ""),
                ]
            }
            context["reopenWindowDays"] = value("reopenWindowDays", "\(policy.reopenWindowDays)")
            context["repeatWindowDays"] = value("repeatWindowDays", "\(policy.repeatWindowDays)")
            context["numbering"] = value("numbering", policy.numbering.pattern)
        case "calendar":
            context["name"] = value("name", calendar.name)
            context["timeZone"] = value("timeZone", calendar.timeZoneIdentifier)
            context["periods"] = value(
                "periods", calendar.workingPeriods.map { "\($0.start)-\($0.end)" }.joined(separator: ", "))
            context["weekdays"] = Weekday.allCases.map { day in
                [
                    "value": day.name, "label": app.t("weekday_\(day.name)"),
                    "checked": form.map { $0.all("weekend").contains(day.name) } ?? calendar.weekendDays.contains(day),
                ] as [String: Any]
            }
            context["holidays"] = value(
                "holidays",
                calendar.holidays.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: "\n"))
            context["makeUp"] = value(
                "makeUp", calendar.makeUpWorkingDays.sorted().map(\.description).joined(separator: "\n"))
        case "authority":
            context["roles"] = Role.allCases.map { role in
                let current: String
                switch policy.authority.limits[role] {
                case .none: current = ""
                case .some(.none): current = "*"
                case .some(.some(let amount)): current = amount.description
                }
                return [
                    "code": role.rawValue, "label": app.text(role.label),
                    "value": value("limit.\(role.rawValue)", current),
                ]
            }
            context["chain"] = value("chain", policy.authority.chain.map(\.rawValue).joined(separator: ", "))
            context["roleCodes"] = Role.allCases.map { "\($0.rawValue) = \(app.text($0.label))" }.joined(
                separator: app.state.language.clauseSeparator)
        case "templates":
            let templates = await app.services.settings.messageTemplates()
            context["templates"] = MessageTemplates.Purpose.allCases.map { purpose in
                let text = templates.templates[purpose] ?? MessageTemplates.standard.templates[purpose]
                return [
                    "code": purpose.rawValue, "label": app.t("template_\(purpose.rawValue)"),
                    "zh": value("tpl.\(purpose.rawValue).zh", text?.zhHans ?? ""),
                    "en": value("tpl.\(purpose.rawValue).en", text?.en ?? ""),
                ]
            }
            context["placeholders"] = MessageTemplates.placeholders.map { "{\($0)}" }.joined(separator: " ")
        case "quality":
            context["text"] = value("text", await app.services.settings.qualityChecklist().text)
        default:
            throw WebError.notFound
        }
        return app.page("admin_\(section)", context, status: status)
    }

    static let fixedClocks: [ClockKind] = [
        .completeness, .approval, .departmentResult, .verification, .returnVisit, .requestAnswer,
    ]

    /// Saves a section, with what the audit log keeps of it. Throws `ConfigurationError` with every problem.
    private func save(_ section: String, form: WebForm) async throws {
        let settings = app.services.settings
        let actor = try app.actingStaff()
        var (policy, calendar) = await settings.current()
        var problems: [String] = []
        func limit(_ name: String, label: String) -> TimeLimit? {
            guard let limit = TimeLimit(form[name]) else {
                problems.append(app.t("admin_bad_limit", ["field": label, "value": form[name]]))
                return nil
            }
            return limit
        }
        switch section {
        case "quality":
            let (checklist, found) = QualityChecklist.parse(form["text"])
            guard let checklist else { throw ConfigurationError(problems: found) }
            try await settings.save(checklist, by: actor, section: section, detail: form["text"])
        case "categories":
            let taxonomy = Self.taxonomy(from: form["text"], problems: &problems)
            if !problems.isEmpty { throw ConfigurationError(problems: problems) }
            try await settings.save(taxonomy, by: actor, section: section, detail: form["text"])
        case "policy":
            for priority in Priority.allCases {
                let key = "p.\(priority.rawValue)"
                let label = priority.rawValue
                if let first = limit("\(key).firstResponse", label: "\(label) \(app.t("policy_firstResponse"))"),
                    let resolution = limit("\(key).resolution", label: "\(label) \(app.t("policy_resolution"))"),
                    let update = limit("\(key).customerUpdate", label: "\(label) \(app.t("policy_customerUpdate"))")
                {
                    policy.priorities[priority] = PriorityTargets(
                        firstResponse: first, resolution: resolution, customerUpdate: update)
                }
            }
            for severity in Severity.allCases {
                let key = "s.\(severity.rawValue)"
                let label = app.t("severity_\(severity.rawValue)")
                let first = limit("\(key).firstContact", label: "\(label) \(app.t("policy_firstContact"))")
                let second = limit("\(key).secondContact", label: "\(label) \(app.t("policy_secondContact"))")
                var maxContacts: Int?
                if let text = form.optional("\(key).maxContacts") {
                    maxContacts = Int(text)
                    if maxContacts == nil || maxContacts! < 1 {
                        problems.append(app.t("admin_bad_number", ["field": "\(label) \(app.t("policy_maxContacts"))"]))
                    }
                }
                let penalty = Money(decimal: form["\(key).penalty"])
                if penalty == nil {
                    problems.append(app.t("admin_bad_number", ["field": "\(label) \(app.t("policy_penalty"))"]))
                }
                var report: TimeLimit?
                if form.optional("\(key).report") != nil {
                    report = limit("\(key).report", label: "\(label) \(app.t("policy_report"))")
                }
                if let first, let second, let penalty {
                    policy.severities[severity] = SeverityTargets(
                        firstContact: first, secondContact: second, maxContacts: maxContacts, penalty: penalty,
                        reportToManagement: report)
                }
            }
            for clock in Self.fixedClocks {
                if let value = limit("fixed.\(clock.rawValue)", label: app.text(clock.label)) {
                    policy.fixedLimits[clock] = value
                }
            }
            policy.calendarTimePriorities = Set(form.all("calendarPriority").compactMap(Priority.init(rawValue:)))
            policy.calendarTimeSeverities = Set(form.all("calendarSeverity").compactMap(Severity.init(rawValue:)))
            for (name, keyPath) in [
                ("reopenWindowDays", \ServicePolicy.reopenWindowDays), ("repeatWindowDays", \.repeatWindowDays),
            ] {
                if let days = Int(form[name]), days >= 0 {
                    policy[keyPath: keyPath] = days
                } else {
                    problems.append(app.t("admin_bad_number", ["field": app.t("policy_\(name)")]))
                }
            }
            policy.numbering = ComplaintNumbering(pattern: form["numbering"])
            if !problems.isEmpty { throw ConfigurationError(problems: problems) }
            try await settings.save(policy, by: actor, section: section, detail: try Self.json(policy))
        case "calendar":
            calendar.name = form["name"]
            calendar.timeZoneIdentifier = form["timeZone"]
            var periods: [WorkingPeriod] = []
            for part in form["periods"].split(whereSeparator: { $0 == "," || $0 == "，" }) {
                let ends = part.split(whereSeparator: { $0 == "-" || $0 == "–" }).map {
                    $0.trimmingCharacters(in: .whitespaces)
                }
                if ends.count == 2, let start = LocalTime(ends[0]), let end = LocalTime(ends[1]) {
                    periods.append(WorkingPeriod(start: start, end: end))
                } else {
                    problems.append(app.t("admin_bad_period", ["value": String(part)]))
                }
            }
            calendar.workingPeriods = periods
            calendar.weekendDays = Set(form.all("weekend").compactMap { Weekday(name: $0) })
            var holidays: [LocalDate: String] = [:]
            for line in form["holidays"].split(whereSeparator: \.isNewline) {
                let parts = line.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1)
                guard let first = parts.first, let date = LocalDate(String(first)) else {
                    problems.append(app.t("admin_bad_date", ["value": String(line)]))
                    continue
                }
                holidays[date] = parts.count > 1 ? String(parts[1]).trimmingCharacters(in: .whitespaces) : ""
            }
            calendar.holidays = holidays
            var makeUp: Set<LocalDate> = []
            for line in form["makeUp"].split(whereSeparator: \.isNewline) {
                let text = line.trimmingCharacters(in: .whitespaces)
                guard let date = LocalDate(text) else {
                    problems.append(app.t("admin_bad_date", ["value": text]))
                    continue
                }
                makeUp.insert(date)
            }
            calendar.makeUpWorkingDays = makeUp
            if !problems.isEmpty { throw ConfigurationError(problems: problems) }
            try await settings.save(calendar, by: actor, section: section, detail: try Self.json(calendar))
        case "authority":
            var limits: [Role: Money?] = [:]
            for role in Role.allCases {
                let text = form["limit.\(role.rawValue)"]
                if text.isEmpty { continue }
                if ["*", "不限", "unlimited"].contains(text.lowercased()) {
                    limits[role] = .some(nil)
                } else if let amount = Money(decimal: text) {
                    limits[role] = .some(amount)
                } else {
                    problems.append(app.t("admin_bad_number", ["field": app.text(role.label)]))
                }
            }
            var chain: [Role] = []
            for code in form["chain"].split(whereSeparator: { $0 == "," || $0 == "，" || $0 == " " }) {
                if let role = Role(rawValue: String(code)) {
                    chain.append(role)
                } else {
                    problems.append(app.t("admin_bad_role", ["value": String(code)]))
                }
            }
            if !problems.isEmpty { throw ConfigurationError(problems: problems) }
            policy.authority = AuthorityMatrix(limits: limits, chain: chain)
            try await settings.save(policy, by: actor, section: section, detail: try Self.json(policy.authority))
        case "templates":
            var templates: [MessageTemplates.Purpose: LocalizedText] = [:]
            for purpose in MessageTemplates.Purpose.allCases {
                templates[purpose] = LocalizedText(
                    zh: form["tpl.\(purpose.rawValue).zh"], en: form["tpl.\(purpose.rawValue).en"])
            }
            let value = MessageTemplates(templates: templates)
            try await settings.save(value, by: actor, section: section, detail: try Self.json(value))
        default:
            throw WebError.notFound
        }
    }

    private static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// One line per entry: `code | 中文 | English`; a code with a dot (`delivery.damage`) is a subcategory of the
    /// code before the dot.
    static func text(of taxonomy: CategoryTaxonomy) -> String {
        taxonomy.categories.flatMap { category in
            ["\(category.code) | \(category.name.zhHans) | \(category.name.en)"]
                + category.subcategories.map { "\($0.code) | \($0.name.zhHans) | \($0.name.en)" }
        }.joined(separator: "\n")
    }

    static func taxonomy(from text: String, problems: inout [String]) -> CategoryTaxonomy {
        var categories: [CategoryTaxonomy.Entry] = []
        for (index, line) in text.split(whereSeparator: \.isNewline).enumerated() {
            let parts = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 3 else {
                problems.append("line \(index + 1): expected “code | 中文 | English”")
                continue
            }
            let entry = CategoryTaxonomy.Entry(code: parts[0], name: LocalizedText(zh: parts[1], en: parts[2]))
            if let dot = parts[0].firstIndex(of: ".") {
                let parent = String(parts[0][..<dot])
                guard let position = categories.firstIndex(where: { $0.code == parent }) else {
                    problems.append("line \(index + 1): \(parts[0]) comes before its category \(parent)")
                    continue
                }
                categories[position].subcategories.append(entry)
            } else {
                categories.append(entry)
            }
        }
        let taxonomy = CategoryTaxonomy(categories: categories)
        problems += taxonomy.problems()
        return taxonomy
    }
}
