import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation
import Hummingbird

/// The company's and a department's figures (SPEC §7): a dashboard for a period beside the previous one and the same
/// one last year, and league tables of departments and owners. Every figure links to the complaints behind it.
struct DashboardPages {
    let app: WebApp

    func register(on web: RouterGroup<AppRequestContext>) {
        web.get("/dashboard") { request, _ in try await dashboard(request) }
        web.get("/league") { request, _ in try await league(request) }
        web.get("/hotspots") { request, _ in try await hotspots(request, format: nil) }
        for format in [Downloads.Format.xlsx, .csv] {
            web.get("/hotspots.\(format.rawValue)") { request, _ in try await hotspots(request, format: format) }
            web.get("/dashboard.\(format.rawValue)") { request, _ in try await dashboardFile(request, format) }
            web.get("/league.\(format.rawValue)") { request, _ in try await leagueFile(request, format) }
        }
    }

    /// The period and scope a request asks for; the current month and the reader's own scope by default.
    private func selection(_ request: Request) async throws -> (
        user: UserAccount, period: ReportPeriod, scope: StatisticsScope, calendar: BusinessCalendar
    ) {
        let user = try app.state.requireStaff()
        let member = user.staffMember
        let home = ReportAccess.defaultScope(of: member)
        guard home.allowed else { throw WebError.forbidden }
        let parameters = request.uri.queryParameters
        let calendar = await app.services.settings.current().calendar
        let today = calendar.localDate(of: app.services.time.now())
        let period: ReportPeriod
        do {
            period = try ReportPeriod.requested(
                kind: parameters.get("period"), value: parameters.get("value"), from: parameters.get("from"),
                to: parameters.get("to"), today: today)
        } catch {
            guard case .validation(let issues) = error else { throw error }
            let problems = issues.map { "\($0.field): \($0.message.text(in: app.state.language))" }
            throw WebError.badRequest(app.t("error_period") + " " + problems.joined(separator: "; "))
        }
        let asked = parameters.get("department")
        let department = asked.map { $0.isEmpty ? nil : DepartmentID($0) } ?? home.department
        guard ReportAccess.mayRead(department, by: member) else { throw WebError.forbidden }
        return (user, period, StatisticsScope(department: department), calendar)
    }

    private func dashboard(_ request: Request) async throws -> Response {
        let (user, period, scope, calendar) = try await selection(request)
        let dashboard = try await app.services.reports.dashboard(
            period, scope: scope, by: user, now: app.services.time.now())
        let directory = try await app.directory()
        let taxonomy = await app.services.settings.categories()
        // How often the supervisors kept the suggested classification of the period's complaints.
        let acceptance = try await app.services.suggestions.acceptance(
            from: calendar.startOfDay(period.start), to: calendar.startOfDay(period.end.adding(days: 1)),
            department: scope.department)
        let s = dashboard.current
        let targets = dashboard.targets
        func link(_ extra: [(String, String)] = []) -> String { DrillDown.link(period: period, scope: scope, extra) }
        func percent(_ rate: Double?) -> String { rate.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }
        func number(_ value: Double?) -> String { value.map { String(format: "%.1f", $0) } ?? "—" }
        /// A change against a comparison: "+12.5%" for counts, "+3.1 pt" for rates.
        func change(_ now: Double?, _ before: Double?, rate: Bool) -> String {
            guard let now, let before else { return "—" }
            if rate { return String(format: "%+.1f %@", (now - before) * 100, app.t("points")) }
            guard before != 0 else { return now == 0 ? "±0" : "+∞" }
            return String(format: "%+.1f%%", (now - before) / before * 100)
        }
        func kpi(
            _ key: String, _ value: String, _ measure: (ComplaintStatistics) -> Double?, rate: Bool, link: String?,
            target: String? = nil, missed: Bool = false
        ) -> [String: Any] {
            [
                "label": app.t(key), "value": value, "link": link as Any,
                "previous": change(measure(s), measure(dashboard.previous), rate: rate),
                "lastYear": change(measure(s), measure(dashboard.lastYear), rate: rate),
                "target": target as Any, "missed": missed,
            ]
        }
        let kpis: [[String: Any]] = [
            kpi("kpi_received", "\(s.received)", { Double($0.received) }, rate: false, link: link()),
            kpi(
                "kpi_closure", percent(s.closureRate), { $0.closureRate }, rate: true,
                link: link([("outcome", "closed")]), target: "≥ " + percent(targets.closureRate),
                missed: (s.closureRate ?? 1) < targets.closureRate),
            kpi(
                "kpi_first_response", percent(s.firstResponseOnTimeRate), { $0.firstResponseOnTimeRate }, rate: true,
                link: link([("outcome", "first_response_late")])),
            kpi(
                "kpi_resolution", percent(s.resolutionOnTimeRate), { $0.resolutionOnTimeRate }, rate: true,
                link: link([("outcome", "resolution_late")])),
            kpi(
                "kpi_satisfaction", number(s.satisfaction), { $0.satisfaction.map { $0 / 100 } }, rate: true,
                link: link([("outcome", "rated")]), target: "≥ " + String(format: "%.0f", targets.satisfaction),
                missed: (s.satisfaction ?? 100) < targets.satisfaction),
            kpi(
                "kpi_negative", percent(s.negativeRate), { $0.negativeRate }, rate: true,
                link: link([("outcome", "negative")]), target: "≤ " + percent(targets.negativeRate),
                missed: (s.negativeRate ?? 0) > targets.negativeRate),
            kpi(
                "kpi_reopen", percent(s.reopenRate), { $0.reopenRate }, rate: true,
                link: link([("outcome", "reopened")])),
            kpi(
                "kpi_repeat", percent(s.repeatRate), { $0.repeatRate }, rate: true,
                link: link([("outcome", "repeated")])),
            kpi(
                "kpi_hours_to_close", number(s.meanHoursToClose), { $0.meanHoursToClose }, rate: false,
                link: link([("outcome", "closed")])),
            kpi(
                "kpi_penalties", "¥\(s.penaltyTotal)", { Double($0.penaltyTotal.minorUnits) }, rate: false, link: nil),
        ]
        let trendLabel: (LocalDate) -> String = { day in String(day.description.dropFirst(5)) }
        let trend = Charts.columns(
            dashboard.trend.map { point in
                let last = min(point.day.adding(days: period.trendStep - 1), period.last)
                return Charts.Item(
                    label: trendLabel(point.day), value: Double(point.count), display: "\(point.count)",
                    link: "/queue?"
                        + FormEncoding.query(
                            [("view", "all"), ("from", point.day.description), ("to", last.description)]
                                + (scope.department.map { [("department", $0.rawValue)] } ?? [])))
            },
            comparison: dashboard.previousTrend.map { Double($0.count) },
            title: app.t(period.trendStep == 1 ? "chart_trend_daily" : "chart_trend_weekly"),
            legend: (app.t("legend_this_period"), app.t("legend_previous_period")))
        func breakdown(_ dimension: ComplaintStatistics.Dimension, parameter: String?, label: (String) -> String)
            -> [String: Any]
        {
            let counts = s.breakdowns[dimension]?.counts ?? []
            return Charts.bars(
                counts.prefix(12).map { entry in
                    Charts.Item(
                        label: entry.key.isEmpty ? app.t("none") : label(entry.key), value: Double(entry.count),
                        display: "\(entry.count)",
                        link: parameter.map { name in
                            entry.key.isEmpty
                                ? link()
                                : (name == "department" && scope.department == nil
                                    ? "/queue?"
                                        + FormEncoding.query(
                                            [
                                                ("view", "all"), ("from", period.start.description),
                                                ("to", period.last.description), ("department", entry.key),
                                            ])
                                    : link(Self.drillPairs(name, entry.key)))
                        })
                }, title: app.t("chart_by_\(dimension.rawValue)"))
        }
        let charts: [[String: Any]] = [
            breakdown(.channel, parameter: "channel") { app.t("channel_\($0)") },
            breakdown(.category, parameter: "category") { taxonomy.name(of: $0, in: app.state.language) },
            breakdown(.subcategory, parameter: "subcategory") {
                taxonomy.name(ofSubcategoryKey: $0, in: app.state.language)
            },
            breakdown(.product, parameter: "product") { $0 },
            breakdown(.department, parameter: scope.department == nil ? "department" : nil) {
                directory.departmentName(DepartmentID($0))
            },
            breakdown(.severity, parameter: "severity") { app.t("severity_\($0)") },
            breakdown(.priority, parameter: "priority") { $0 },
            breakdown(.kind, parameter: "kind") { app.t("kind_\($0)") },
            breakdown(.state, parameter: "state") { code in
                ComplaintState(rawValue: code).map { app.text($0.label) } ?? code
            },
        ]
        let closing = Charts.columns(
            dashboard.hoursToClose.map { bucket in
                Charts.Item(
                    label: Self.hoursLabel(bucket, app: app), value: Double(bucket.count), display: "\(bucket.count)",
                    link: link([("close_hours", "\(bucket.from)-\(bucket.upTo.map(String.init) ?? "")")]))
            }, title: app.t("chart_hours_to_close"), legend: nil, width: 520, height: 180)
        let allowanceCharts: [[String: Any]] = AllowanceClock.allCases.map { clock in
            Charts.columns(
                (dashboard.allowanceUsed[clock] ?? []).map { bucket in
                    Charts.Item(
                        label: bucket.label, value: Double(bucket.count), display: "\(bucket.count)",
                        link: link([("used", DrillDown.usedParameter(clock, bucket))]), late: !bucket.onTime)
                }, title: app.t("chart_used_\(clock.rawValue)"), legend: nil, width: 360, height: 160)
        }
        let clockRows: [[String: Any]] = ClockKind.allCases.compactMap { clock in
            guard let tally = s.clocks[clock], tally.met + tally.missed > 0 else { return nil }
            return [
                "clock": app.text(clock.label), "rate": percent(tally.onTimeRate), "met": tally.met,
                "missed": tally.missed,
                "metLink": link([("clock", clock.rawValue), ("clock_outcome", "met")]),
                "missedLink": link([("clock", clock.rawValue), ("clock_outcome", "missed")]),
            ]
        }
        let penalties: [[String: Any]] = s.penalties.map {
            [
                "department": $0.department.map { directory.departmentName($0) } ?? "—",
                "entries": $0.entries, "amount": "¥\($0.amount)", "waived": $0.waived,
            ]
        }
        let actions = try await app.services.improvements.openAndOverdue(department: scope.department)
        let actionCount = "\(actions.open) / \(actions.overdue)"
        return app.page(
            "dashboard",
            [
                "title": scope.department.map {
                    app.t("dashboard_department", ["department": directory.departmentName($0)])
                }
                    ?? app.t("dashboard_company"),
                "periodTitle": ReportService.title(of: period),
                "comparison": app.t(
                    dashboard.comparedDays < period.dayCount ? "dashboard_comparison_running" : "dashboard_comparison",
                    [
                        "previous": ReportService.title(of: period.previous),
                        "lastYear": ReportService.title(of: period.sameLastYear),
                        "days": "\(dashboard.comparedDays)",
                        "through": "\(period.start.adding(days: dashboard.comparedDays - 1))",
                    ]),
                "kpis": kpis, "trend": trend, "charts": charts, "closing": closing,
                "allowanceCharts": allowanceCharts, "clockRows": clockRows, "hasClocks": !clockRows.isEmpty,
                "penalties": penalties,
                "hasPenalties": !s.penalties.isEmpty, "actions": actionCount,
                "suggestionsKept": acceptance.rate(.category).map(percent) as Any,
                "suggestionsDetail": app.t(
                    "kpi_suggestions_detail",
                    [
                        "kept": "\(acceptance.accepted[.category] ?? 0)",
                        "suggested": "\(acceptance.suggested[.category] ?? 0)",
                        "department": acceptance.rate(.department).map(percent) ?? "—",
                    ]),
            ].merging(
                periodControls(period: period, scope: scope, path: "/dashboard", user: user, directory: directory)
            ) { $1 })
    }

    private func dashboardFile(_ request: Request, _ format: Downloads.Format) async throws -> Response {
        let (user, period, scope, _) = try await selection(request)
        let dashboard = try await app.services.reports.dashboard(
            period, scope: scope, by: user, now: app.services.time.now())
        let names = try await app.workbookNames()
        let workbook = ReportWorkbooks.dashboard(dashboard, names: names)
        // As CSV, the figures beside their comparisons (the workbook's first sheet).
        return try Downloads.response(workbook, format: format, name: Self.fileName("dashboard", period, scope))
    }

    private func leagueFile(_ request: Request, _ format: Downloads.Format) async throws -> Response {
        let (user, period, scope, _) = try await selection(request)
        let (grouping, ranking) = Self.leagueChoice(request)
        let league = try await app.services.reports.league(
            period, by: grouping, scope: scope, ranking: ranking, viewer: user)
        let workbook = ReportWorkbooks.league(league, names: try await app.workbookNames())
        return try Downloads.response(
            workbook, format: format, name: Self.fileName("league-\(grouping.rawValue)", period, scope))
    }

    private func hotspots(_ request: Request, format: Downloads.Format?) async throws -> Response {
        let (user, period, scope, _) = try await selection(request)
        let hotspots = try await app.services.reports.hotspots(period, scope: scope, by: user)
        if let format {
            return try Downloads.response(
                ReportWorkbooks.hotspots(hotspots, names: try await app.workbookNames()), format: format,
                name: Self.fileName("hotspots", period, scope))
        }
        let taxonomy = await app.services.settings.categories()
        let directory = try await app.directory()
        let mayRaise = ImprovementActions.mayRaise(user)
        /// A count beside the period before it: rising, falling or level.
        func trend(_ count: Int, _ earlier: [Int]) -> [String: Any] {
            let before = earlier.first ?? 0
            return [
                "earlier": earlier.map { ["count": $0] }, "rising": count > before, "falling": count < before,
                "change": before == 0
                    ? (count == 0 ? "" : app.t("hotspot_new"))
                    : String(format: "%+.0f%%", (Double(count) / Double(before) - 1) * 100),
            ]
        }
        return app.page(
            "hotspots",
            [
                "title": app.t("hotspots_title"), "periodTitle": ReportService.title(of: period),
                "previousTitle": ReportService.title(of: period.previous),
                "beforeTitle": ReportService.title(of: period.previous.previous),
                "pairs": hotspots.pairs.enumerated().map { index, pair in
                    var extra: [(String, String)] = []
                    if let category = pair.category { extra.append(("category", category)) }
                    if let product = pair.product { extra.append(("product", product)) }
                    return [
                        "rank": index + 1,
                        "category": pair.category.map { taxonomy.name(of: $0, in: app.state.language) }
                            ?? app.t("none"),
                        "product": pair.product ?? app.t("none"), "count": pair.count,
                        "link":
                            (pair.category != nil && pair.product != nil
                            ? DrillDown.link(period: period, scope: scope, extra) : nil) as Any,
                    ].merging(trend(pair.count, pair.earlier)) { $1 }
                },
                "phrases": hotspots.phrases.enumerated().map { index, phrase in
                    [
                        "rank": index + 1, "text": phrase.text, "count": phrase.count,
                        "link": DrillDown.link(period: period, scope: scope, [("q", phrase.text)]),
                        "actionLink": mayRaise
                            ? "/actions/new?"
                                + FormEncoding.query([("source", "hotspot:\(phrase.text)"), ("title", phrase.text)])
                            : nil as String? as Any,
                    ].merging(trend(phrase.count, phrase.earlier)) { $1 }
                },
                "noPairs": hotspots.pairs.isEmpty, "noPhrases": hotspots.phrases.isEmpty,
                "sampled": hotspots.textsRead >= Hotspots.textLimit,
                "sampleNote": app.t("hotspots_sampled", ["count": "\(Hotspots.textLimit)"]),
            ].merging(periodControls(period: period, scope: scope, path: "/hotspots", user: user, directory: directory))
            {
                $1
            })
    }

    /// The queue filters a breakdown's bar links with: a subcategory's key names its category too ("delivery/damage").
    static func drillPairs(_ parameter: String, _ key: String) -> [(String, String)] {
        guard parameter == "subcategory" else { return [(parameter, key)] }
        let parts = key.split(separator: "/", maxSplits: 1).map(String.init)
        return parts.count == 2 ? [("category", parts[0]), ("subcategory", parts[1])] : [(parameter, key)]
    }

    /// What a league table ranks and by which measure; departments by resolution on time unless asked.
    static func leagueChoice(_ request: Request) -> (LeagueGrouping, League.Ranking) {
        let parameters = request.uri.queryParameters
        return (
            parameters.get("by").flatMap(LeagueGrouping.init(rawValue:)) ?? .department,
            parameters.get("rank").flatMap(League.Ranking.init(rawValue:)) ?? .onTime
        )
    }

    /// "dashboard-2026-11", "league-owner-2026-Q4-after_sales".
    static func fileName(_ what: String, _ period: ReportPeriod, _ scope: StatisticsScope) -> String {
        let span = period.kind == .custom ? "\(period.start)_\(period.last)" : period.code
        return ([what, span] + (scope.department.map { [$0.rawValue] } ?? [])).joined(separator: "-")
    }

    private func league(_ request: Request) async throws -> Response {
        let (user, period, scope, _) = try await selection(request)
        let (grouping, ranking) = Self.leagueChoice(request)
        let league = try await app.services.reports.league(
            period, by: grouping, scope: scope, ranking: ranking, viewer: user)
        let directory = try await app.directory()
        func percent(_ rate: Double?) -> String { rate.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }
        let rows: [[String: Any]] = league.lines.map { line in
            let m = line.measures
            let name: String =
                switch grouping {
                case .department: line.key.map { directory.departmentName(DepartmentID($0)) } ?? app.t("unassigned")
                case .owner: line.key.map { directory.userName(UserID($0)) } ?? app.t("unassigned")
                }
            var filter: [(String, String)] = []
            var lineScope = scope
            switch grouping {
            case .department: if let key = line.key { lineScope = StatisticsScope(department: DepartmentID(key)) }
            case .owner: if let key = line.key { filter.append(("owner", key)) }
            }
            // The line of complaints nobody was assigned yet lists the unassigned queue.
            let view = line.key == nil ? "unassigned" : "all"
            func link(_ extra: [(String, String)] = []) -> String {
                DrillDown.link(period: period, scope: lineScope, filter + extra, view: view)
            }
            return [
                "rank": line.rank, "name": name, "received": m.received, "receivedLink": link(),
                "closure": percent(m.closureRate), "closureLink": link([("outcome", "closed")]),
                "closureMissed": line.misses.contains(.closure),
                "onTime": percent(m.resolutionOnTimeRate), "lateLink": link([("outcome", "resolution_late")]),
                "firstResponse": percent(m.firstResponseOnTimeRate),
                "satisfaction": m.satisfaction.map { String(format: "%.1f", $0) } ?? "—",
                "satisfactionMissed": line.misses.contains(.satisfaction), "ratedLink": link([("outcome", "rated")]),
                "negative": percent(m.negativeRate), "negativeMissed": line.misses.contains(.negative),
                "negativeLink": link([("outcome", "negative")]),
                "repeats": m.repeats, "repeatsLink": link([("outcome", "repeated")]),
                "penalties": line.penalties.map { "¥\($0)" } ?? "—",
                "quality": line.qualityScore.map { String(format: "%.1f (%d)", $0, line.qualityChecks) } ?? "—",
                "missed": !line.misses.isEmpty,
            ]
        }
        var base = Self.periodPairs(period) + (scope.department.map { [("department", $0.rawValue)] } ?? [])
        base.append(("by", grouping.rawValue))
        return app.page(
            "league",
            [
                "title": app.t("league_title_\(grouping.rawValue)"), "periodTitle": ReportService.title(of: period),
                "rows": rows, "empty": rows.isEmpty,
                "groupings": LeagueGrouping.allCases.map { option in
                    [
                        "label": app.t("league_by_\(option.rawValue)"), "current": option == grouping,
                        "link": "/league?"
                            + FormEncoding.query(
                                base.filter { $0.0 != "by" } + [("by", option.rawValue), ("rank", ranking.rawValue)]),
                    ]
                },
                "rankings": League.Ranking.allCases.map { option in
                    [
                        "label": app.t("rank_\(option.rawValue)"), "current": option == ranking,
                        "link": "/league?" + FormEncoding.query(base + [("rank", option.rawValue)]),
                    ]
                },
                "targets": app.t(
                    "league_targets",
                    [
                        "closure": percent(league.targets.closureRate),
                        "satisfaction": String(format: "%.0f", league.targets.satisfaction),
                        "negative": percent(league.targets.negativeRate),
                    ]),
                "isOwners": grouping == .owner,
                "exportExtra": "&" + FormEncoding.query([("by", grouping.rawValue), ("rank", ranking.rawValue)]),
            ].merging(periodControls(period: period, scope: scope, path: "/league", user: user, directory: directory)) {
                $1
            })
    }

    /// The period form, the links to the previous and next period, and the department choice.
    private func periodControls(
        period: ReportPeriod, scope: StatisticsScope, path: String, user: UserAccount, directory: Directory
    ) -> [String: Any] {
        let member = user.staffMember
        let departments = directory.departments.filter { ReportAccess.mayRead($0.id, by: member) }
        let keep = scope.department.map { [("department", $0.rawValue)] } ?? []
        return [
            "kinds": ReportPeriod.Kind.allCases.map {
                ["value": $0.rawValue, "label": app.t("period_\($0.rawValue)"), "selected": $0 == period.kind]
            },
            "periodValue": period.kind == .custom ? "" : period.code,
            "customFrom": period.start.description, "customTo": period.last.description,
            "isCustom": period.kind == .custom,
            "previousLink": path + "?" + FormEncoding.query(Self.periodPairs(period.previous) + keep),
            "nextLink": path + "?" + FormEncoding.query(Self.periodPairs(period.next) + keep),
            "mayChooseCompany": ReportAccess.mayRead(nil, by: member),
            "companySelected": scope.department == nil,
            "departments": departments.map {
                ["value": $0.id.rawValue, "label": app.text($0.name), "selected": $0.id == scope.department]
            },
            "dashboardLink": "/dashboard?" + FormEncoding.query(Self.periodPairs(period) + keep),
            "exportQuery": FormEncoding.query(Self.periodPairs(period) + keep),
            "leagueLink": "/league?" + FormEncoding.query(Self.periodPairs(period) + keep),
            "onDashboard": path == "/dashboard", "onLeague": path == "/league", "onHotspots": path == "/hotspots",
            "hotspotsLink": "/hotspots?" + FormEncoding.query(Self.periodPairs(period) + keep), "path": path,
        ]
    }

    static func periodPairs(_ period: ReportPeriod) -> [(String, String)] {
        period.kind == .custom
            ? [("period", "custom"), ("from", period.start.description), ("to", period.last.description)]
            : [("period", period.kind.rawValue), ("value", period.code)]
    }

    static func hoursLabel(_ bucket: Dashboard.CloseBucket, app: WebApp) -> String {
        func span(_ hours: Int) -> String { hours < 24 || hours % 24 != 0 ? "\(hours)h" : "\(hours / 24)d" }
        guard let upTo = bucket.upTo else { return "> " + span(bucket.from) }
        return bucket.from == 0 ? "< " + span(upTo) : "\(span(bucket.from))–\(span(upTo))"
    }
}
