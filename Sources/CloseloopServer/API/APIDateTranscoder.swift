import CloseloopCore
import Foundation
import OpenAPIRuntime

/// The API's instants as RFC 3339 in UTC to the second, exactly as OpenAPIRuntime's `.iso8601` transcoder writes
/// them, without a date formatter: a list of 50 complaints carries about 750 instants, and the formatter was a
/// tenth of the answer's time. Reading is strict RFC 3339 (`InstantText`).
struct APIDateTranscoder: DateTranscoder {
    func encode(_ date: Date) throws -> String {
        // Like the formatter: to the nearest millisecond first, then the second it falls in.
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let seconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
        let (days, secondOfDay) = seconds.quotientAndRemainder(dividingBy: 86_400)
        let (day, second) = secondOfDay < 0 ? (days - 1, secondOfDay + 86_400) : (days, secondOfDay)
        let civil = Self.civil(daysSinceEpoch: day)
        guard (0...9999).contains(civil.year) else { return try ISO8601DateTranscoder.iso8601.encode(date) }
        // "yyyy-MM-ddTHH:mm:ssZ", digits written in place.
        var bytes: [UInt8] = Array("0000-00-00T00:00:00Z".utf8)
        func put(_ value: Int64, at end: Int, width: Int) {
            var rest = value
            for index in stride(from: end, to: end - width, by: -1) {
                bytes[index] = UInt8(48 + rest % 10)
                rest /= 10
            }
        }
        put(civil.year, at: 3, width: 4)
        put(civil.month, at: 6, width: 2)
        put(civil.day, at: 9, width: 2)
        put(second / 3600, at: 12, width: 2)
        put(second % 3600 / 60, at: 15, width: 2)
        put(second % 60, at: 18, width: 2)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Reads strictly: an impossible date (2026-02-30) is refused, never rolled over.
    func decode(_ text: String) throws -> Date {
        guard let date = InstantText.parse(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: [], debugDescription: "\(text) is not a valid RFC 3339 instant"))
        }
        return date
    }

    /// The proleptic Gregorian date of a day counted from 1970-01-01 (Howard Hinnant's `civil_from_days`).
    static func civil(daysSinceEpoch: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
