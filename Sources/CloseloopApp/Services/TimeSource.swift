import Foundation
import Synchronization

/// Where the server reads the time: the one seam that lets tests and benchmarks run every clock without sleeping.
public protocol TimeSource: Sendable {
    func now() -> Date
}

extension TimeSource {
    /// Now, truncated to the millisecond the store keeps, so a stored instant reads back equal.
    public func instant() -> Date { now().truncatedToMilliseconds }
}

/// The machine's clock.
public struct SystemTimeSource: TimeSource {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that only moves when told to, for tests and for loading history at chosen instants.
public final class ManualTimeSource: TimeSource {
    private let current: Mutex<Date>

    public init(_ start: Date) { current = Mutex(start) }

    public func now() -> Date { current.withLock { $0 } }

    public func set(_ instant: Date) { current.withLock { $0 = instant } }

    public func advance(by seconds: TimeInterval) { current.withLock { $0 += seconds } }
}

extension Date {
    /// The instant at the millisecond the store keeps, so what is written reads back equal.
    var truncatedToMilliseconds: Date {
        Date(timeIntervalSince1970: (timeIntervalSince1970 * 1000).rounded(.down) / 1000)
    }
}
