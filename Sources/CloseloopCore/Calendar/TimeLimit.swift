import Foundation

/// How long a clock runs. Codable as a compact string: "30m", "4h", "5d", "eod", "@17:00".
public enum TimeLimit: Sendable, Hashable {
    /// A number of counted minutes.
    case minutes(Int)
    /// A number of counted hours.
    case hours(Int)
    /// Working days of `workingDayLength` each on the working basis, 24-hour days on the calendar basis.
    case days(Int)
    /// The end of the day the clock starts counting on.
    case endOfDay
    /// The next occurrence of a wall-clock time, e.g. "reply by 17:00".
    case dailyAt(LocalTime)
}

extension TimeLimit: LosslessStringConvertible {
    /// The compact form: "30m", "4h", "5d", "eod" or "@17:00".
    public var description: String {
        switch self {
        case .minutes(let count): "\(count)m"
        case .hours(let count): "\(count)h"
        case .days(let count): "\(count)d"
        case .endOfDay: "eod"
        case .dailyAt(let time): "@\(time)"
        }
    }

    /// Parses the compact form; nil for anything else, including negative counts.
    public init?(_ description: String) {
        if description == "eod" {
            self = .endOfDay
            return
        }
        if description.hasPrefix("@") {
            guard let time = LocalTime(String(description.dropFirst())) else { return nil }
            self = .dailyAt(time)
            return
        }
        guard let unit = description.last else { return nil }
        let number = description.dropLast()
        // `Int("+5")` would succeed, so insist on plain digits.
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && $0.isNumber }), let count = Int(number) else {
            return nil
        }
        switch unit {
        case "m": self = .minutes(count)
        case "h": self = .hours(count)
        case "d": self = .days(count)
        default: return nil
        }
    }
}

extension TimeLimit: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let limit = TimeLimit(text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "Expected a time limit such as 30m, 4h, 5d, eod or @17:00, got \"\(text)\"."
            )
        }
        self = limit
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
