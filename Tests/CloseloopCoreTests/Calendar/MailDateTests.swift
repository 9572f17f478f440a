import Foundation
import Testing

@testable import CloseloopCore

/// An email's Date header is written without a date formatter; it must read as one would write it.
@Suite("Email Date header")
struct MailDateTests {
    @Test(
        "RFC 5322 in UTC, as a POSIX date formatter writes it",
        arguments: [
            0, 1_796_439_776, 1_796_439_776.999, 951_782_400, 4_107_542_399, -1, -86_400.5, 1_709_164_800,
        ] as [TimeInterval])
    func matchesFormatter(seconds: TimeInterval) {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        let instant = Date(timeIntervalSince1970: seconds)
        #expect(InstantText.mailDate(instant) == formatter.string(from: instant))
    }

    @Test("A known instant")
    func known() {
        #expect(InstantText.mailDate(Date(timeIntervalSince1970: 1_796_439_776)) == "Sat, 05 Dec 2026 03:02:56 +0000")
    }
}
