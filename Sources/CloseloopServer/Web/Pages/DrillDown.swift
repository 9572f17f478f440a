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
        "from", "to", "channel", "category", "subcategory", "product", "kind", "outcome", "owner", "close_hours",
        "clock", "clock_outcome", "used",
    ]

    var from: LocalDate?
    var to: LocalDate?
    var channels: [Channel]
    var categories: [String]
    var subcategories: [String]
    var products: [String]
    var kinds: [ComplaintKind]
    var outcomes: [ComplaintQuery.Outcome]
    var owner: UserID?
    /// Closed within hours of receipt, written "4-24" or "240-" (no upper bound).
    var closeHours: ComplaintQuery.CloseHours?
    /// A clock met or missed, written `clock=first_contact&clock_outcome=missed`.
    var clockOutcome: ComplaintQuery.ClockOutcome?
    /// A bar of a distribution against target, written "first_response:100-150" (percent; either bound may be empty).
    var allowanceUsed: ComplaintQuery.AllowanceUsed?
    let calendar: BusinessCalendar

    init(parameters: Parameters, calendar: BusinessCalendar) {
        func day(_ name: String) -> LocalDate? {
            parameters.get(name).flatMap(LocalDate.init).flatMap { $0.isValid ? $0 : nil }
        }
        from = day("from")
        to = day("to")
        channels = parameters.getAll("channel").compactMap { Channel(rawValue: String($0)) }
        categories = parameters.getAll("category").map { String($0) }.filter { !$0.isEmpty && $0.count <= 100 }
        subcategories = parameters.getAll("subcategory").map { String($0) }.filter { !$0.isEmpty && $0.count <= 100 }
        products = parameters.getAll("product").map { String($0) }.filter { !$0.isEmpty && $0.count <= 200 }
        kinds = parameters.getAll("kind").compactMap { ComplaintKind(rawValue: String($0)) }
        outcomes = parameters.getAll("outcome").compactMap { ComplaintQuery.Outcome(rawValue: String($0)) }
        owner = parameters.get("owner").flatMap { $0.isEmpty || $0.count > 100 ? nil : UserID($0) }
        closeHours = parameters.get("close_hours").flatMap(Self.hours)
        if let clock = parameters.get("clock").flatMap(ClockKind.init(rawValue:)),
            let outcome = parameters.get("clock_outcome"), ["met", "missed"].contains(outcome)
        {
            clockOutcome = .init(clock: clock, met: outcome == "met")
        }
        allowanceUsed = parameters.get("used").flatMap(Self.used)
        self.calendar = calendar
    }

    func apply(to query: inout ComplaintQuery) {
        if let from { query.receivedFrom = calendar.startOfDay(from) }
        if let to { query.receivedBefore = calendar.startOfDay(to.adding(days: 1)) }
        query.channels = channels
        query.categories = categories
        query.subcategories = subcategories
        query.products = products
        if !kinds.isEmpty { query.kinds = kinds }
        query.outcomes = Set(outcomes)
        if let owner { query.owner = owner }
        query.closeHours = closeHours
        query.clockOutcome = clockOutcome
        query.allowanceUsed = allowanceUsed
    }

    /// "first_response:100-150" → the first response's bar over 100 % up to 150 %; "resolution:-50", "resolution:200-".
    static func used(_ text: String) -> ComplaintQuery.AllowanceUsed? {
        let halves = text.split(separator: ":", maxSplits: 1)
        guard halves.count == 2, let clock = AllowanceClock(rawValue: String(halves[0])) else { return nil }
        let bounds = halves[1].split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard bounds.count == 2 else { return nil }
        func bound(_ part: Substring) -> Int?? {
            if part.isEmpty { return .some(nil) }
            guard let value = Int(part), value >= 0, value <= 100_000 else { return nil }
            return .some(value)
        }
        guard let above = bound(bounds[0]), let upTo = bound(bounds[1]) else { return nil }
        if let above, let upTo, upTo <= above { return nil }
        return .init(clock: clock, above: above, upTo: upTo)
    }

    /// The text a bar of a distribution against target is linked with (`used`).
    static func usedParameter(_ clock: AllowanceClock, _ bucket: Dashboard.UsedBucket) -> String {
        "\(clock.rawValue):\(bucket.above.map(String.init) ?? "")-\(bucket.upTo.map(String.init) ?? "")"
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
        pairs += subcategories.map { ("subcategory", $0) } + products.map { ("product", $0) }
        pairs += kinds.map { ("kind", $0.rawValue) } + outcomes.map { ("outcome", $0.rawValue) }
        if let owner { pairs.append(("owner", owner.rawValue)) }
        if let closeHours {
            pairs.append(("close_hours", "\(closeHours.from)-\(closeHours.upTo.map(String.init) ?? "")"))
        }
        if let clockOutcome {
            pairs += [("clock", clockOutcome.clock.rawValue), ("clock_outcome", clockOutcome.met ? "met" : "missed")]
        }
        if let allowanceUsed {
            let bucket = Dashboard.UsedBucket(above: allowanceUsed.above, upTo: allowanceUsed.upTo, count: 0)
            pairs.append(("used", Self.usedParameter(allowanceUsed.clock, bucket)))
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
        labels += subcategories.map { taxonomy.name(of: $0, in: app.state.language) }
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
        if let clockOutcome {
            labels.append(
                app.text(clockOutcome.clock.label) + " " + app.t(clockOutcome.met ? "clock_met" : "clock_missed"))
        }
        if let allowanceUsed {
            let bucket = Dashboard.UsedBucket(above: allowanceUsed.above, upTo: allowanceUsed.upTo, count: 0)
            labels.append(
                app.t("drill_used", ["clock": app.text(allowanceUsed.clock.clock.label), "share": bucket.label]))
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
