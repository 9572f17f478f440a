import CloseloopCore
import Foundation
import Testing

@Suite("Time left as people read it")
struct TimeLeftTests {
    typealias F = CalendarFixtures

    /// (now, due, basis, overdue, days, hours, minutes); 2026-04-13 is a Monday, 04-10 the Friday before.
    static let cases: [(String, String, TimeBasis, Bool, Int, Int, Int)] = [
        ("2026-04-13T10:00:00+08:00", "2026-04-13T10:12:00+08:00", .working, false, 0, 0, 12),
        // The lunch break does not count on the working basis.
        ("2026-04-13T10:00:00+08:00", "2026-04-13T14:20:00+08:00", .working, false, 0, 3, 20),
        ("2026-04-13T10:00:00+08:00", "2026-04-13T14:20:00+08:00", .calendar, false, 0, 4, 20),
        // Two working days of eight hours; minutes are dropped once days are counted.
        ("2026-04-13T10:00:00+08:00", "2026-04-15T10:00:00+08:00", .working, false, 2, 0, 0),
        ("2026-04-13T10:00:00+08:00", "2026-04-15T13:59:00+08:00", .working, false, 2, 2, 0),
        // Over the weekend only Friday's last hour and Monday's first count.
        ("2026-04-10T17:00:00+08:00", "2026-04-13T10:00:00+08:00", .working, false, 0, 2, 0),
        ("2026-04-10T17:00:00+08:00", "2026-04-13T10:00:00+08:00", .calendar, false, 2, 17, 0),
        // A few seconds left is still a minute to act in.
        ("2026-04-13T10:00:00+08:00", "2026-04-13T10:00:20+08:00", .calendar, false, 0, 0, 1),
        ("2026-04-14T14:00:00+08:00", "2026-04-13T10:00:00+08:00", .calendar, true, 1, 4, 0),
        ("2026-04-13T09:30:00+08:00", "2026-04-10T17:30:00+08:00", .working, true, 0, 1, 0),
        // Missed at the end of Friday and read on Saturday: overdue, with no working time to count.
        ("2026-04-11T10:00:00+08:00", "2026-04-10T18:00:00+08:00", .working, true, 0, 0, 0),
    ]

    @Test("Days, hours and minutes on the clock's basis", arguments: cases)
    func breakdown(now: String, due: String, basis: TimeBasis, overdue: Bool, days: Int, hours: Int, minutes: Int) {
        let left = F.china.timeLeft(until: F.instant(due), basis: basis, now: F.instant(now))
        #expect(left.overdue == overdue)
        #expect(left.basis == basis)
        #expect(left.days == days && left.hours == hours && left.minutes == minutes)
        #expect(left.isZero == (days == 0 && hours == 0 && minutes == 0))
        #expect((left.seconds < 0) == (overdue && !left.isZero))
    }
}
