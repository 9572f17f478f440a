import Foundation

/// Whether a clock counts every minute or only working minutes.
public enum TimeBasis: String, Sendable, Hashable, Codable, CaseIterable {
    /// Every second counts, nights, weekends and holidays included (P0, crisis).
    case calendar
    /// Only seconds inside working periods on working days count.
    case working
}
