import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation
import Hummingbird

/// The filters a figure on a dashboard or a league table links to the queue with, so every number lists the
/// complaints behind it: received from one day to another (both included, in the business calendar), channel,
/// category, kind, department's owner, and what became of the complaint (`ComplaintQuery.Outcome`).
struct DrillDown {
    static let names: Set<String> = [
        "from", "to", "channel", "category", "product", "kind", "outcome", "owner", "close_hours",
    ]

    var from: LocalDate?
    var to: LocalDate?
    var channels: [Channel]
    var categories: [String]
    var products: [String]
    var kinds: [ComplaintKind]
    var outcomes: [ComplaintQuery.Outcome]
    var owner: UserID?
    /// Closed within hours of receipt, written "4-24" or "240-" (no upper bound).
    var closeHours: ComplaintQuery.CloseHours?
    let calendar: BusinessCalendar

    init(parameters: Parameters, calendar: BusinessCalendar) {
        func day(_ name: String) -> LocalDate? {
            parameters.get(name).flatMap(LocalDate.init).flatMap { $0.isValid ? $0 : nil }
        }
        from = day("from")
        to = day("to")
        channels = parameters.getAll("channel").compactMap { Channel(rawValue: String($0)) }
        categories = parameters.getAll("category").map { String($0) }.filter { !$0.isEmpty && $0.count <= 100 }
        products = parameters.getAll("product").map { String($0) }.filter { !$0.isEmpty && $0.count <= 200 }
        kinds = parameters.getAll("kind").compactMap { ComplaintKind(rawValue: String($0)) }
        outcomes = parameters.getAll("outcome").compactMap { ComplaintQuery.Outcome(rawValue: String($0)) }
        owner = parameters.get("owner").flatMap { $0.isEmpty || $0.count > 100 ? nil : UserID($0) }
        closeHours = parameters.get("close_hours").flatMap(Self.hours)
        self.calendar = calendar
    }

    func apply(to query: inout ComplaintQuery) {
        if let from { query.receivedFrom = calendar.startOfDay(from) }
        if let to { query.receivedBefore = calendar.startOfDay(to.adding(days: 1)) }
        query.channels = channels
        query.categories = categories
        query.products = products
        if !kinds.isEmpty { query.kinds = kinds }
        query.outcomes = Set(outcomes)
        if let owner { query.owner = owner }
        query.closeHours = closeHours
    }

    /// "4-24" → (4, 24); "240-" → (240, nil); anything else nil.
    static func hours(_ text: String) -> ComplaintQuery.CloseHours? {
        let parts = text.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let from = Int(parts[0]), from >= 0, from < 100_000 else { return nil }
        if parts[1].isEmpty { return .init(from: from, upTo: nil) }
        guard let upTo = Int(parts[1]), upTo > from, upTo < 100_000 else { return nil }
        return .init(from: from, upTo: upTo)
    }

    /// The filters as hidden inputs, so changing another filter on the queue keeps them.
    var hidden: [[String: String]] {
        var pairs: [(String, String)] = []
        if let from { pairs.append(("from", from.description)) }
        if let to { pairs.append(("to", to.description)) }
        pairs += channels.map { ("channel", $0.rawValue) } + categories.map { ("category", $0) }
        pairs += products.map { ("product", $0) }
        pairs += kinds.map { ("kind", $0.rawValue) } + outcomes.map { ("outcome", $0.rawValue) }
        if let owner { pairs.append(("owner", owner.rawValue)) }
        if let closeHours {
            pairs.append(("close_hours", "\(closeHours.from)-\(closeHours.upTo.map(String.init) ?? "")"))
        }
        return pairs.map { ["name": $0.0, "value": $0.1] }
    }

    /// The filters in words, for the line above the list.
    func labels(app: WebApp, taxonomy: CategoryTaxonomy) -> [String] {
        var labels: [String] = []
        switch (from, to) {
        case let (from?, to?): labels.append(from == to ? from.description : "\(from) – \(to)")
        case let (from?, nil): labels.append("≥ \(from)")
        case let (nil, to?): labels.append("≤ \(to)")
        default: break
        }
        labels += channels.map { app.t("channel_\($0.rawValue)") }
        labels += categories.map { taxonomy.name(of: $0, in: app.state.language) }
        labels += products
        labels += kinds.map { app.t("kind_\($0.rawValue)") }
        labels += outcomes.map { app.t("outcome_\($0.rawValue)") }
        if let owner { labels.append(owner.rawValue) }
        if let closeHours {
            labels.append(
                app.t(
                    "drill_closed_within",
                    ["from": "\(closeHours.from)", "to": closeHours.upTo.map(String.init) ?? "∞"]))
        }
        return labels
    }

    /// The queue listing the complaints received in `period` (and `scope`), narrowed by `extra` pairs.
    static func link(
        period: ReportPeriod, scope: StatisticsScope, _ extra: [(String, String)] = [], view: String = "all"
    ) -> String {
        var pairs = [("view", view), ("from", period.start.description), ("to", period.last.description)]
        if let department = scope.department { pairs.append(("department", department.rawValue)) }
        return "/queue?" + FormEncoding.query(pairs + extra)
    }
}
