import Foundation

/// A warning before, or a breach of, one cycle of one clock, as the history records it (actor: the system).
public struct ClockAlert: Hashable, Codable, Sendable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case warning, breach
    }

    public var kind: Kind
    public var clock: ClockKind
    /// When the clock's cycle started; with `clock`, it names the cycle an alert belongs to.
    public var cycleStart: Date
    public var dueAt: Date
    /// 0 for a warning; 1 for the first breach, one more for each further span past the deadline.
    public var level: Int

    public init(kind: Kind, clock: ClockKind, cycleStart: Date, dueAt: Date, level: Int) {
        self.kind = kind
        self.clock = clock
        self.cycleStart = cycleStart
        self.dueAt = dueAt
        self.level = level
    }

    /// What identifies an alert so it fires once: the clock, its cycle, the kind and the level.
    var key: AlertKey { AlertKey(clock: clock, cycleStart: cycleStart, kind: kind, level: level) }
}

struct AlertKey: Hashable {
    var clock: ClockKind
    var cycleStart: Date
    var kind: ClockAlert.Kind
    var level: Int
}
