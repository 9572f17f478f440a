import Foundation

/// A time of day on the calendar's wall clock. Codable as "HH:mm".
public struct LocalTime: Sendable, Hashable, Comparable {
    /// The hour, 0...23.
    public var hour: Int
    /// The minute, 0...59.
    public var minute: Int

    /// Creates a time from its parts; the parts are not checked, so prefer the text initialiser for input.
    public init(hour: Int, minute: Int) {
        self.hour = hour
        self.minute = minute
    }

    /// Parses "09:30"; nil for anything else, including 24:00 and 12:60.
    public init?(_ text: String) {
        let utf8 = Array(text.utf8)
        guard utf8.count == 5, utf8[2] == UInt8(ascii: ":"),
            let hour = LocalDate.digits(utf8[0..<2]), let minute = LocalDate.digits(utf8[3..<5]),
            (0...23).contains(hour), (0...59).contains(minute)
        else { return nil }
        self.init(hour: hour, minute: minute)
    }

    /// Seconds after local midnight.
    var secondsSinceMidnight: Int { hour * 3600 + minute * 60 }

    public static func < (lhs: LocalTime, rhs: LocalTime) -> Bool {
        (lhs.hour, lhs.minute) < (rhs.hour, rhs.minute)
    }
}

extension LocalTime: LosslessStringConvertible {
    /// "HH:mm", zero-padded.
    public var description: String {
        let hour = String(hour)
        let minute = String(minute)
        return (hour.count < 2 ? "0" : "") + hour + ":" + (minute.count < 2 ? "0" : "") + minute
    }
}

extension LocalTime: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let time = LocalTime(text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "Expected a time as HH:mm, got \"\(text)\"."
            )
        }
        self = time
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
