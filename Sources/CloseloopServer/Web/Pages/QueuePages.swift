import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation
import Hummingbird
import ServiceLifecycle

/// The staff queues: mine, my department's, unassigned, awaiting my decision, due soon and overdue, and search over
/// everything; with filters a user can name and keep, and live refresh when any complaint changes.
struct QueuePages {
    let app: WebApp

    /// Which queue a page shows.
    enum View: String, CaseIterable {
        case mine, department, unassigned, approvals, due, all
    }

    func register(on web: RouterGroup<AppRequestContext>) {
        web.get("/queue") { request, _ in try await queue(request) }
        web.get("/queue.xlsx") { request, _ in try await export(request, .xlsx) }
        web.get("/queue.csv") { request, _ in try await export(request, .csv) }
        web.post("/queue/filters") { request, _ in try await saveFilter(request) }
        web.post("/queue/filters/:id/delete") { request, context in
            try await deleteFilter(request, id: context.parameters.get("id") ?? "")
        }
        web.get("/live/queue") { request, _ in
            // Changes since the page was rendered, or since the last event a reconnecting browser saw.
            let since =
                request.headers[.init("Last-Event-ID")!].flatMap { Int64($0) }
                ?? request.uri.queryParameters.get("since").flatMap { Int64($0) }
            return try await live(since: since)
        }
    }

    /// What a queue request lists: the view, its filters and the drill-down a figure linked with.
    private struct Selection {
        var query: ComplaintQuery
        var view: View
        var department: DepartmentID?
        var chosenStates: [ComplaintState]
        var departmentChoices: [Department]
        var drill: DrillDown
        /// The instant the due-soon window is measured from.
        var now: Date
    }

    private func selection(_ request: Request, user: UserAccount, directory: Directory) async -> Selection {
        let parameters = request.uri.queryParameters
        func value(_ name: String) -> String { parameters.get(name) ?? "" }
        let view = View(rawValue: value("view")) ?? .mine
        let (_, calendar) = await app.services.settings.current()
        let now = app.services.time.now()

        var query = Self.tabQuery(view, user: user, directory: directory, now: now)
        // Form-decoded: a browser sends the spaces between search terms as "+".
        let words = FormEncoding.decode(request.uri.query ?? "")["q"]?.first ?? ""
        query.text = words.isEmpty ? nil : words
        query.priorities = parameters.getAll("priority").compactMap { Priority(rawValue: String($0)) }
        query.severities = parameters.getAll("severity").compactMap { Severity(rawValue: String($0)) }
        // The filters a dashboard's figure drills down with: received between two days, channel, category, kind, and
        // what became of the complaint, as the statistics count it.
        let drill = DrillDown(parameters: parameters, calendar: calendar)
        drill.apply(to: &query)
        let chosenStates = parameters.getAll("state").compactMap { ComplaintState(rawValue: String($0)) }
        if !chosenStates.isEmpty { query.states = chosenStates }
        let departmentChoices = Self.departments(of: user, among: directory.departments)
        let chosenDepartment = value("department").isEmpty ? nil : DepartmentID(value("department"))
        query.department = chosenDepartment ?? query.department
        let department = chosenDepartment ?? (view == .department ? query.department : nil)
        if let sort = ComplaintQuery.Order(rawValue: value("sort")) { query.order = sort }
        if value("overdue") == "1" { query.dueBefore = now }
        if !value("cursor").isEmpty, ComplaintQuery.isValidCursor(value("cursor")) { query.cursor = value("cursor") }

        return Selection(
            query: query, view: view, department: department, chosenStates: chosenStates,
            departmentChoices: departmentChoices, drill: drill, now: now)
    }

    /// The rows `view` shows: for approvals, only what this user may decide (the right approval level, a delay
    /// approver for the department, or the supervisor who countersigns the close).
    private func visible(_ records: [ComplaintRecord], view: View, user: UserAccount) async -> [ComplaintRecord] {
        guard view == .approvals else { return records }
        let workflow = await app.services.complaints.workflow()
        return records.filter { record in
            let actions = workflow.availableActions(on: record.complaint, for: .staff(user.staffMember))
            return actions.contains(.decideApproval) || actions.contains(.decideDelay) || actions.contains(.close)
        }
    }

    /// The whole list a queue shows (up to 10,000 rows), as a workbook or CSV.
    private func export(_ request: Request, _ format: Downloads.Format) async throws -> Response {
        let user = try app.state.requireStaff()
        let directory = try await app.directory()
        let chosen = await selection(request, user: user, directory: directory)
        var query = chosen.query
        let view = chosen.view
        query.limit = 200
        query.cursor = nil
        var records: [ComplaintRecord] = []
        while records.count < 10_000 {
            let page = try await app.services.complaints.list(query)
            records += await visible(page.records, view: view, user: user)
            guard let next = page.nextCursor else { break }
            query.cursor = next
        }
        let workbook = ReportWorkbooks.complaints(records, names: try await app.workbookNames())
        return try Downloads.response(workbook, format: format, name: "complaints-\(view.rawValue)")
    }

    private func queue(_ request: Request) async throws -> Response {
        let user = try app.state.requireStaff()
        let parameters = request.uri.queryParameters
        func value(_ name: String) -> String { parameters.get(name) ?? "" }
        let directory = try await app.directory()
        let (policy, calendar) = await app.services.settings.current()
        let now = app.services.time.now()
        let chosen = await selection(request, user: user, directory: directory)
        let (query, view, department, chosenStates, departmentChoices, drill) = (
            chosen.query, chosen.view, chosen.department, chosen.chosenStates, chosen.departmentChoices, chosen.drill
        )
        // Read before the rows, so a change made while they are read is announced by the live stream.
        let latestChange = try await app.services.complaints.latestChange()
        // A row is read from the complaint's columns; only a decision's row needs the whole complaint (who may
        // decide it, the amount asked for).
        var listed: [(summary: ComplaintSummary, record: ComplaintRecord?)]
        let nextCursor: String?
        if view == .approvals {
            let page = try await app.services.complaints.list(query)
            listed = await visible(page.records, view: view, user: user).map { (ComplaintSummary($0), $0) }
            nextCursor = page.nextCursor
        } else {
            let page = try await app.services.complaints.summaries(query)
            listed = page.summaries.map { ($0, nil) }
            nextCursor = page.nextCursor
        }
        let unfiltered =
            nextCursor == nil && query == Self.tabQuery(view, user: user, directory: directory, now: chosen.now)
        let counts =
            value("fragment") == "rows"
            ? [:]
            : try await tabCounts(user: user, directory: directory, shown: unfiltered ? (view, listed.count) : nil)
        let savedFilters = try await app.services.savedFilters.filters(of: user)
        let formatting = WebFormatting(calendar: calendar, language: app.state.language, strings: app.renderer.strings)
        let taxonomy = await app.services.settings.categories()
        // A row has no room for the year; the full instant is in the cell's title.
        let shortDate = WebFormatting.formatter("MM-dd HH:mm", in: calendar.timeZone)
        let rows: [[String: Any]] = listed.map { summary, record in
            [
                "number": summary.number, "subject": summary.subject,
                "customer": summary.customerName, "state": app.text(summary.state.label),
                "stateCode": summary.state.rawValue, "priority": summary.priority.rawValue,
                "severity": app.t("severity_\(summary.severity.rawValue)"),
                "category": summary.category.map { taxonomy.name(of: $0, in: app.state.language) } ?? "",
                "department": directory.departmentName(summary.department),
                "owner": directory.userName(summary.owner),
                "received": formatting.dateTime(summary.receivedAt),
                "receivedShort": shortDate.string(from: summary.receivedAt),
                "age": formatting.amount(calendar.timeLeft(until: summary.receivedAt, basis: .calendar, now: now)),
                "deadline": formatting.nextDeadline(
                    summary.nextDeadline, basis: policy.basis(priority: summary.priority, severity: summary.severity),
                    now: now) as Any,
                "decision": record.map { decision($0, formatting: formatting) } as Any,
            ]
        }
        let currentQuery = Self.queryString(of: request)
        var nextLink: String?
        if let cursor = nextCursor {
            var pairs = Self.pairs(of: request).filter { $0.0 != "cursor" }
            pairs.append(("cursor", cursor))
            nextLink = "/queue?" + FormEncoding.query(pairs)
        }
        let context: [String: Any] = [
            "title": app.t("queue_\(view.rawValue)"),
            "views": View.allCases.map {
                [
                    "value": $0.rawValue, "label": app.t("queue_\($0.rawValue)"), "current": $0 == view,
                    "count": counts[$0].map(String.init) as Any,
                ]
            },
            "showDecision": view == .approvals,
            // The first Tab offers the list itself, past the header, the tabs and the filters.
            "skipToList": "queue-rows",
            // Folded unless it is in use: filters applied, the search over everything, or filters kept by name (the
            // browser then remembers the user's own choice).
            "filtersOpen": view == .all || !savedFilters.isEmpty || Self.filterNames.contains { !value($0).isEmpty }
                || !parameters.getAll("state").isEmpty || !parameters.getAll("priority").isEmpty
                || !parameters.getAll("severity").isEmpty,
            "view": view.rawValue,
            "rows": rows, "empty": rows.isEmpty, "nextLink": nextLink as Any,
            "q": FormEncoding.decode(request.uri.query ?? "")["q"]?.first ?? "",
            "showDepartment": view == .department || view == .all || view == .due,
            "departments": (view == .department ? departmentChoices : directory.departments).map {
                ["value": $0.id.rawValue, "label": app.text($0.name), "selected": $0.id == department]
            },
            "states": ComplaintState.allCases.map {
                ["value": $0.rawValue, "label": app.text($0.label), "selected": chosenStates.contains($0)]
            },
            "priorities": Priority.allCases.map {
                ["value": $0.rawValue, "label": $0.rawValue, "selected": query.priorities.contains($0)]
            },
            "severities": Severity.allCases.map {
                [
                    "value": $0.rawValue, "label": app.t("severity_\($0.rawValue)"),
                    "selected": query.severities.contains($0),
                ]
            },
            "sorts": ComplaintQuery.Order.allCases.map {
                ["value": $0.rawValue, "label": app.t("sort_\($0.rawValue)"), "selected": $0 == query.order]
            },
            "overdueOnly": value("overdue") == "1",
            "drillDown": drill.hidden, "drillDownLabels": drill.labels(app: app, taxonomy: taxonomy),
            "hasDrillDown": !drill.hidden.isEmpty,
            "clearDrillDown": "/queue?"
                + FormEncoding.query(
                    Self.pairs(of: request).filter { !DrillDown.names.contains($0.0) && $0.0 != "cursor" }),
            "savedFilters": savedFilters.map { ["id": $0.id, "name": $0.name, "link": "/queue?" + $0.query] },
            "currentQuery": currentQuery,
            "liveURL": "/live/queue?since=\(latestChange ?? 0)",
            // Those who open incidents pick complaints here for a new one.
            "maySelect": IncidentService.mayManage(user) || BulkAssignment.mayAssign(user),
            "mayOpenIncident": IncidentService.mayManage(user),
            "mayAssign": BulkAssignment.mayAssign(user),
        ]
        if value("fragment") == "rows" { return app.page("queue_rows", context) }
        return app.page("queue", context)
    }

    /// How far ahead the "due soon" queue looks.
    static let dueSoonWindow: TimeInterval = 24 * 3600

    /// The filters whose presence opens the filter panel.
    static let filterNames = ["q", "department", "sort", "overdue"]

    /// What `view` lists as it opens, before any filter: its open complaints (everything, for the search over all),
    /// the day's work nearest deadline first. Each tab's count counts this.
    private static func tabQuery(_ view: View, user: UserAccount, directory: Directory, now: Date) -> ComplaintQuery {
        var query = ComplaintQuery()
        query.limit = view == .approvals ? 200 : 50
        query.states = view == .all ? [] : ComplaintState.allCases.filter(\.isOpen)
        // Only the search over everything starts from the newest.
        query.order = view == .all ? .received : .due
        switch view {
        case .mine: query.assignee = user.id
        case .department:
            query.department =
                user.department ?? departments(of: user, among: directory.departments).first?.id ?? DepartmentID("")
        case .unassigned: query.unassigned = true
        case .approvals: query.awaitingDecision = true
        case .due: query.dueBefore = now.addingTimeInterval(dueSoonWindow)
        case .all: break
        }
        return query
    }

    /// How many complaints each tab holds, as it opens without filters (the search over everything has no count).
    /// `shown` is the page's own tab when the page lists all of it, already counted.
    private func tabCounts(user: UserAccount, directory: Directory, shown: (view: View, count: Int)?) async throws
        -> [View: Int]
    {
        var counts: [View: Int] = [:]
        let now = app.services.time.now()
        for view in View.allCases where view != .all {
            if let shown, shown.view == view {
                counts[view] = shown.count
                continue
            }
            let query = Self.tabQuery(view, user: user, directory: directory, now: now)
            if view == .approvals {
                // Only what this user may decide counts, as only that is listed.
                let records = try await app.services.complaints.list(query).records
                counts[view] = await visible(records, view: .approvals, user: user).count
            } else {
                counts[view] = try await app.services.complaints.count(query)
            }
        }
        return counts
    }

    /// What an approvals row waits for: the proposal's amount and the approval's deadline, the delay asked for, or
    /// the countersignature.
    private func decision(_ record: ComplaintRecord, formatting: WebFormatting) -> [String: Any] {
        let complaint = record.complaint
        if complaint.state == .awaitingApproval {
            let amount = complaint.proposal?.compensation.map { "¥\($0)" } ?? app.t("decision_no_compensation")
            return [
                "kind": app.t("decision_approval"), "detail": amount,
                "due": record.dueAt(.approval).map { app.t("decision_by", ["time": formatting.dateTime($0)]) } ?? "",
            ]
        }
        if let delay = complaint.pendingDelay {
            return [
                "kind": app.t("decision_delay"),
                "detail": app.t("decision_delay_until", ["time": formatting.dateTime(delay.until)]),
                "due": delay.reason,
            ]
        }
        return ["kind": app.t("decision_countersign"), "detail": "", "due": ""]
    }

    /// Departments whose queue the user may open: their own and those their grants name; every department for
    /// company-wide roles.
    static func departments(of user: UserAccount, among all: [Department]) -> [Department] {
        let companyWide = user.grants.contains { $0.department == nil && $0.role != .agent && $0.role != .handler }
        if companyWide { return all }
        let ids = Set([user.department].compactMap { $0 } + user.grants.compactMap(\.department))
        return all.filter { ids.contains($0.id) }
    }

    static func pairs(of request: Request) -> [(String, String)] {
        FormEncoding.decode(request.uri.query ?? "").flatMap { name, values in values.map { (name, $0) } }
            .filter { $0.0 != "fragment" }
            .sorted { $0.0 < $1.0 }
    }

    static func queryString(of request: Request) -> String {
        FormEncoding.query(pairs(of: request).filter { $0.0 != "cursor" })
    }

    private func saveFilter(_ request: Request) async throws -> Response {
        let user = try app.state.requireStaff()
        let form = try await app.form(request)
        try await app.services.savedFilters.save(form["name"], query: form["query"], for: user)
        return WebRenderer.redirect(to: "/queue?" + String(form["query"].prefix(2000)))
    }

    private func deleteFilter(_ request: Request, id: String) async throws -> Response {
        let user = try app.state.requireStaff()
        _ = try await app.form(request)
        try await app.services.savedFilters.delete(id, of: user)
        return WebRenderer.redirect(to: "/queue")
    }

    /// Server-sent events: a `change` event whenever any complaint changes, from this instance or another one
    /// sharing the database; the page then reloads its rows.
    private func live(since: Int64?) async throws -> Response {
        _ = try app.state.requireStaff()
        let complaints = app.services.complaints
        let interval = app.liveInterval
        let body = ResponseBody { writer in
            var last = since
            if last == nil { last = try await complaints.latestChange() }
            try await writer.write(ByteBuffer(string: "retry: 5000\n: connected\n\n"))
            // A change between rendering the page and connecting is announced at once.
            if let latest = try await complaints.latestChange(), latest != last {
                last = latest
                try await writer.write(ByteBuffer(string: "id: \(latest)\nevent: change\ndata: \(latest)\n\n"))
            }
            var quiet = 0
            // A server shutting down ends the stream, which would otherwise hold it open as long as the page is; the
            // browser reconnects after `retry`, to whichever instance serves then.
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                do {
                    try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
                } catch is CancellationError {
                    break
                }
                let latest = try await complaints.latestChange()
                if latest != last {
                    last = latest
                    quiet = 0
                    try await writer.write(
                        ByteBuffer(string: "id: \(latest ?? 0)\nevent: change\ndata: \(latest ?? 0)\n\n"))
                } else {
                    quiet += 1
                    // A comment now and then keeps proxies from closing an idle stream.
                    if quiet % 10 == 0 { try await writer.write(ByteBuffer(string: ": ping\n\n")) }
                }
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-store", .init("X-Accel-Buffering")!: "no"],
            body: body)
    }
}
