import CloseloopCore
import CloseloopStore
import Foundation

/// The dashboards, league tables and complaint lists as workbooks (XLSX) and CSV, in the reader's language, for the
/// people who live in spreadsheets and for the reports mailed on a schedule. Numbers stay numbers, rates percentages
/// and instants dates in the business calendar's zone.
public struct ReportWorkbooks: Sendable {
    /// How ids read to people: departments, staff, categories, in one language.
    public struct Names: Sendable {
        public var language: Language
        public var departments: [Department]
        public var users: [UserAccount]
        public var taxonomy: CategoryTaxonomy
        public var calendar: BusinessCalendar

        public init(
            language: Language, departments: [Department], users: [UserAccount], taxonomy: CategoryTaxonomy,
            calendar: BusinessCalendar
        ) {
            self.language = language
            self.departments = departments
            self.users = users
            self.taxonomy = taxonomy
            self.calendar = calendar
        }

        func text(_ zh: String, _ en: String) -> String { language == .zhHans ? zh : en }

        func department(_ id: String?) -> String {
            guard let id, !id.isEmpty else { return text("（未分派）", "(unassigned)") }
            return departments.first { $0.id.rawValue == id }?.name.text(in: language) ?? id
        }

        func user(_ id: String?) -> String {
            guard let id, !id.isEmpty else { return text("（未分派）", "(unassigned)") }
            return users.first { $0.id.rawValue == id }?.displayName ?? id
        }

        func label(_ dimension: ComplaintStatistics.Dimension, _ key: String) -> String {
            switch dimension {
            case .department: return department(key)
            case .category: return key.isEmpty ? text("（未分类）", "(none)") : taxonomy.name(of: key, in: language)
            case .subcategory:
                return key.isEmpty ? text("（未分子类）", "(none)") : taxonomy.name(ofSubcategoryKey: key, in: language)
            case .state: return ComplaintState(rawValue: key)?.label.text(in: language) ?? key
            case .channel: return Channel(rawValue: key)?.label.text(in: language) ?? key
            case .severity: return Severity(rawValue: key)?.label.text(in: language) ?? key
            case .kind: return ComplaintKind(rawValue: key)?.label.text(in: language) ?? key
            case .priority: return key
            case .product: return key.isEmpty ? text("（未填）", "(none)") : key
            }
        }

        func dimension(_ dimension: ComplaintStatistics.Dimension) -> String {
            switch dimension {
            case .channel: text("渠道", "Channel")
            case .category: text("类别", "Category")
            case .subcategory: text("子类别", "Subcategory")
            case .product: text("产品", "Product")
            case .department: text("责任部门", "Department")
            case .severity: text("严重程度", "Severity")
            case .priority: text("优先级", "Priority")
            case .kind: text("类型", "Kind")
            case .state: text("当前状态", "Current state")
            }
        }

        /// An instant as a spreadsheet date and time in the business calendar's zone.
        func dateTime(_ date: Date?) -> XLSXWorkbook.Cell {
            guard let date else { return .empty }
            let day = calendar.localDate(of: date)
            let minutes = Int(date.timeIntervalSince(calendar.startOfDay(day)) / 60)
            return .dateTime(year: day.year, month: day.month, day: day.day, hour: minutes / 60, minute: minutes % 60)
        }
    }

    static func rate(_ value: Double?) -> XLSXWorkbook.Cell { value.map { .percent($0) } ?? .empty }
    static func number(_ value: Double?) -> XLSXWorkbook.Cell { value.map { .number($0) } ?? .empty }
    static func date(_ day: LocalDate) -> XLSXWorkbook.Cell { .date(year: day.year, month: day.month, day: day.day) }

    /// The dashboard: its figures beside the comparisons, the breakdowns, and the trend.
    public static func dashboard(_ dashboard: Dashboard, names: Names) -> XLSXWorkbook {
        let n = names
        let figures: [(String, (ComplaintStatistics) -> XLSXWorkbook.Cell)] = [
            (n.text("受理量", "Received"), { .integer($0.received) }),
            (n.text("已结案", "Closed"), { .integer($0.closed) }),
            (n.text("结案率", "Closure rate"), { rate($0.closureRate) }),
            (n.text("首次响应及时率", "First response on time"), { rate($0.firstResponseOnTimeRate) }),
            (n.text("解决及时率", "Resolved on time"), { rate($0.resolutionOnTimeRate) }),
            (n.text("满意度（0–100）", "Satisfaction (0–100)"), { number($0.satisfaction) }),
            (n.text("评价数", "Ratings"), { .integer($0.rated) }),
            (n.text("差评率", "Negative rate"), { rate($0.negativeRate) }),
            (n.text("重开率", "Reopen rate"), { rate($0.reopenRate) }),
            (n.text("重复投诉率", "Repeat rate"), { rate($0.repeatRate) }),
            (n.text("平均结案时长（小时）", "Mean hours to close"), { number($0.meanHoursToClose) }),
            (n.text("考核扣款（元）", "Penalties (yuan)"), { .number(Double($0.penaltyTotal.minorUnits) / 100) }),
        ]
        let summary = XLSXWorkbook.Sheet(
            name: n.text("指标", "Figures"),
            columns: [
                .init(n.text("指标", "Figure"), width: 24),
                .init(ReportService.title(of: dashboard.period), width: 16),
                .init(n.text("上一期", "Previous period"), width: 16),
                .init(n.text("去年同期", "Same period last year"), width: 20),
            ],
            rows: figures.map { name, value in
                [.text(name), value(dashboard.current), value(dashboard.previous), value(dashboard.lastYear)]
            })
        var breakdownRows: [[XLSXWorkbook.Cell]] = []
        for dimension in ComplaintStatistics.Dimension.allCases {
            for entry in dashboard.current.breakdowns[dimension]?.counts ?? [] {
                breakdownRows.append([
                    .text(n.dimension(dimension)), .text(n.label(dimension, entry.key)), .integer(entry.count),
                ])
            }
        }
        let breakdowns = XLSXWorkbook.Sheet(
            name: n.text("分布", "Breakdowns"),
            columns: [
                .init(n.text("维度", "Dimension"), width: 14), .init(n.text("取值", "Value"), width: 24),
                .init(n.text("受理量", "Received"), width: 10),
            ],
            rows: breakdownRows)
        let trend = XLSXWorkbook.Sheet(
            name: n.text("趋势", "Trend"),
            columns: [
                .init(
                    n.text(
                        dashboard.period.trendStep == 1 ? "日期" : "周起始日",
                        dashboard.period.trendStep == 1 ? "Day" : "Week of"), width: 12),
                .init(n.text("受理量", "Received"), width: 10),
                .init(n.text("上一期同位", "Previous period, same step"), width: 18),
            ],
            rows: dashboard.trend.enumerated().map { index, point in
                [
                    date(point.day), .integer(point.count),
                    dashboard.previousTrend.indices.contains(index)
                        ? .integer(dashboard.previousTrend[index].count) : .empty,
                ]
            })
        var clockRows: [[XLSXWorkbook.Cell]] = ClockKind.allCases.compactMap { clock in
            guard let tally = dashboard.current.clocks[clock], tally.met + tally.missed > 0 else { return nil }
            return [
                .text(clock.label.text(in: n.language)), .integer(tally.met), .integer(tally.missed),
                rate(tally.onTimeRate),
            ]
        }
        clockRows.append([])
        for clock in AllowanceClock.allCases {
            for bucket in dashboard.allowanceUsed[clock] ?? [] {
                clockRows.append([
                    .text(clock.clock.label.text(in: n.language)), .text(n.text("用时占时限", "Share of allowance used")),
                    .text(bucket.label), .integer(bucket.count),
                ])
            }
        }
        let clocks = XLSXWorkbook.Sheet(
            name: n.text("时限", "Clocks"),
            columns: [
                .init(n.text("时限", "Clock"), width: 16), .init(n.text("按时", "Met"), width: 12),
                .init(n.text("超时", "Missed"), width: 12), .init(n.text("按时率", "On-time rate"), width: 12),
            ],
            rows: clockRows)
        return XLSXWorkbook(sheets: [summary, breakdowns, trend, clocks])
    }

    /// A league table, one line per department or owner in rank order.
    public static func league(_ league: League, names: Names) -> XLSXWorkbook {
        let n = names
        let owners = league.grouping == .owner
        let sheet = XLSXWorkbook.Sheet(
            name: owners ? n.text("责任人排名", "Owners") : n.text("部门排名", "Departments"),
            columns: [
                .init(n.text("名次", "Rank"), width: 6),
                .init(owners ? n.text("第一责任人", "Owner") : n.text("责任部门", "Department"), width: 18),
                .init(n.text("受理量", "Received"), width: 10), .init(n.text("已结案", "Closed"), width: 10),
                .init(n.text("结案率", "Closure rate"), width: 10),
                .init(n.text("解决及时率", "Resolved on time"), width: 12),
                .init(n.text("首次响应及时率", "First response on time"), width: 14),
                .init(n.text("满意度", "Satisfaction"), width: 10), .init(n.text("差评率", "Negative rate"), width: 10),
                .init(n.text("重复投诉", "Repeats"), width: 10),
                .init(n.text("考核扣款（元）", "Penalties (yuan)"), width: 14),
                .init(n.text("质检得分", "Quality score"), width: 10),
                .init(n.text("未达标", "Below target"), width: 20),
            ],
            rows: league.lines.map { line in
                let m = line.measures
                let misses = line.misses.map { miss -> String in
                    switch miss {
                    case .closure: n.text("结案率", "closure")
                    case .satisfaction: n.text("满意度", "satisfaction")
                    case .negative: n.text("差评率", "negative rate")
                    }
                }.sorted().joined(separator: n.text("、", ", "))
                return [
                    .integer(line.rank), .text(owners ? n.user(line.key) : n.department(line.key)),
                    .integer(m.received), .integer(m.closed), rate(m.closureRate), rate(m.resolutionOnTimeRate),
                    rate(m.firstResponseOnTimeRate), number(m.satisfaction), rate(m.negativeRate), .integer(m.repeats),
                    line.penalties.map { .number(Double($0.minorUnits) / 100) } ?? .empty, number(line.qualityScore),
                    .text(misses),
                ]
            })
        return XLSXWorkbook(sheets: [sheet])
    }

    /// A list of complaints as the queue shows them; contact details stay masked.
    public static func complaints(_ records: [ComplaintRecord], names: Names) -> XLSXWorkbook {
        let n = names
        let sheet = XLSXWorkbook.Sheet(
            name: n.text("投诉列表", "Complaints"),
            columns: [
                .init(n.text("编号", "Number"), width: 12), .init(n.text("受理时间", "Received"), width: 17),
                .init(n.text("状态", "State"), width: 12), .init(n.text("优先级", "Priority"), width: 8),
                .init(n.text("严重程度", "Severity"), width: 10), .init(n.text("渠道", "Channel"), width: 10),
                .init(n.text("类别", "Category"), width: 14), .init(n.text("责任部门", "Department"), width: 14),
                .init(n.text("第一责任人", "Owner"), width: 10), .init(n.text("客户", "Customer"), width: 10),
                .init(n.text("主题", "Subject"), width: 40), .init(n.text("结案时间", "Closed"), width: 17),
                .init(n.text("满意度评分", "Rating"), width: 10), .init(n.text("下一期限", "Next deadline"), width: 17),
            ],
            rows: records.map { record in
                let c = record.complaint
                return [
                    .text(c.number), n.dateTime(c.receivedAt), .text(c.state.label.text(in: n.language)),
                    .text(c.priority.rawValue), .text(c.severity.label.text(in: n.language)),
                    .text(c.intake.channel.label.text(in: n.language)),
                    .text(c.category.map { n.taxonomy.name(of: c.subcategory ?? $0, in: n.language) } ?? ""),
                    .text(c.department.map { n.department($0.rawValue) } ?? ""),
                    .text(c.owner.map { n.user($0.rawValue) } ?? ""), .text(c.intake.customer.name),
                    .text(c.intake.subject), n.dateTime(c.closedAt), c.satisfaction.map { .integer($0) } ?? .empty,
                    n.dateTime(record.nextDueAt),
                ]
            })
        return XLSXWorkbook(sheets: [sheet])
    }

    /// One sheet as CSV with a byte-order mark, cells written as a spreadsheet shows them.
    public static func csv(_ sheet: XLSXWorkbook.Sheet) throws -> String {
        func text(_ cell: XLSXWorkbook.Cell) -> String {
            switch cell {
            case .text(let value): value
            case .integer(let value): String(value)
            case .number(let value): String(format: "%.2f", value)
            case .percent(let value): String(format: "%.1f%%", value * 100)
            case .dateTime(let year, let month, let day, let hour, let minute):
                String(format: "%04d-%02d-%02d %02d:%02d", year, month, day, hour, minute)
            case .date(let year, let month, let day): String(format: "%04d-%02d-%02d", year, month, day)
            case .empty: ""
            }
        }
        return try CSVFormat.byteOrderMark
            + CSVFormat.text([sheet.columns.map(\.title)] + sheet.rows.map { $0.map(text) })
    }
}
