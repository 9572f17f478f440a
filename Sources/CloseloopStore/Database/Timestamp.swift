import Foundation

/// Instants are stored as whole milliseconds since 1970 (BIGINT) on both dialects, so comparisons and indexes behave
/// the same everywhere.
enum Timestamp {
    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    static func date(_ milliseconds: Int64) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }
    /// Used only for bookkeeping columns (when a migration ran); domain instants always come from the caller's clock.
    static func now() -> Int64 { milliseconds(Date()) }
}
