import Foundation

/// An amount of money in minor units (fen), so compensation arithmetic is exact.
public struct Money: Hashable, Codable, Sendable, Comparable, CustomStringConvertible {
    public var minorUnits: Int64
    public init(minorUnits: Int64) { self.minorUnits = minorUnits }

    /// Whole yuan, for policy tables written by people.
    public static func yuan(_ amount: Int64) -> Money { Money(minorUnits: amount * 100) }

    public static let zero = Money(minorUnits: 0)

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.minorUnits < rhs.minorUnits }

    /// "1200.50": the decimal form used in the API and CSV.
    public var description: String {
        let sign = minorUnits < 0 ? "-" : ""
        let absolute = minorUnits.magnitude
        let fraction = absolute % 100
        return "\(sign)\(absolute / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// The largest amount anyone can write: twelve whole digits, as the API's `Money` pattern states.
    public static let maximum = Money(minorUnits: 999_999_999_999_99)

    /// Parses a decimal amount with at most twelve whole and two fraction digits ("1200", "1200.5", "1200.50"); no
    /// spaces, no grouping, no exponent (the API's `Money` pattern, plus a leading minus the loop refuses by name).
    public init?(decimal text: String) {
        var text = Substring(text)
        var negative = false
        if text.first == "-" { negative = true; text = text.dropFirst() }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), (1...12).contains(parts[0].count),
            parts[0].allSatisfy({ $0.isASCII && $0.isNumber }), let whole = Int64(parts[0])
        else { return nil }
        var fraction: Int64 = 0
        if parts.count == 2 {
            let digits = parts[1]
            guard (1...2).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }),
                let value = Int64(digits)
            else { return nil }
            fraction = digits.count == 1 ? value * 10 : value
        }
        minorUnits = (whole * 100 + fraction) * (negative ? -1 : 1)
    }
}
