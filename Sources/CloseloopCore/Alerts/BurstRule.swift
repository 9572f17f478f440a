/// When complaints alike arrive together, which may be one cause behind many (群诉, SPEC §2): at least `count`
/// complaints whose texts read alike (each at least `minimumScore` like the newest) received within
/// `windowMinutes`. The supervisors and the quality office are then told, with the group and a proposed incident.
public struct BurstRule: Hashable, Codable, Sendable {
    public var enabled: Bool
    public var count: Int
    public var windowMinutes: Int
    /// How alike (the similarity score, 0…1) a complaint must read to the newest to count with it.
    public var minimumScore: Double
    /// How often each server instance looks at what arrived.
    public var watchSeconds: Int

    public init(enabled: Bool = true, count: Int, windowMinutes: Int, minimumScore: Double, watchSeconds: Int = 60) {
        self.enabled = enabled
        self.count = count
        self.windowMinutes = windowMinutes
        self.minimumScore = minimumScore
        self.watchSeconds = watchSeconds
    }

    private enum CodingKeys: String, CodingKey { case enabled, count, windowMinutes, minimumScore, watchSeconds }

    // A rule saved before the watch interval was a setting looks every minute.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        enabled = try container.decode(Bool.self, forKey: .enabled)
        count = try container.decode(Int.self, forKey: .count)
        windowMinutes = try container.decode(Int.self, forKey: .windowMinutes)
        minimumScore = try container.decode(Double.self, forKey: .minimumScore)
        watchSeconds = try container.decodeIfPresent(Int.self, forKey: .watchSeconds) ?? 60
    }

    /// Ten alike within two hours.
    public static let standard = BurstRule(count: 10, windowMinutes: 120, minimumScore: 0.3)

    /// The group `newest` makes with the earlier complaints of the window that read like it (id and score), oldest
    /// first with the newest last; nil when it is not a burst.
    public func group<ID: Hashable>(of newest: ID, among alike: [(id: ID, score: Double)]) -> [ID]? {
        guard enabled else { return nil }
        var members = alike.filter { $0.score >= minimumScore && $0.id != newest }.map(\.id)
        members.append(newest)
        return members.count >= count ? members : nil
    }

    public func problems() -> [String] {
        var problems: [String] = []
        if !(3...1000).contains(count) { problems.append("a burst needs 3 to 1,000 complaints") }
        if !(10...1440).contains(windowMinutes) { problems.append("the burst window must be 10 minutes to a day") }
        if !(minimumScore >= 0.1 && minimumScore <= 0.95) {
            problems.append("the similarity a burst needs must be between 0.1 and 0.95")
        }
        if !(5...3600).contains(watchSeconds) { problems.append("bursts are looked for every 5 seconds to an hour") }
        return problems
    }
}
