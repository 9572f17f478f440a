import CloseloopCore
import Foundation
import Testing

@Suite("Elapsed counted time")
struct ElapsedTests {
    typealias F = CalendarFixtures

    static let hour: TimeInterval = 3600

    static let spans: [(String, String, TimeBasis, TimeInterval)] = [
        ("2026-04-13T09:00:00+08:00", "2026-04-13T18:00:00+08:00", .working, 8 * hour),
        ("2026-04-13T09:00:00+08:00", "2026-04-13T18:00:00+08:00", .calendar, 9 * hour),
        ("2026-04-10T17:00:00+08:00", "2026-04-13T10:00:00+08:00", .working, 2 * hour),
        ("2026-04-10T17:00:00+08:00", "2026-04-13T10:00:00+08:00", .calendar, 65 * hour),
        ("2026-04-13T12:10:00+08:00", "2026-04-13T12:50:00+08:00", .working, 0),
        ("2026-04-13T11:59:00+08:00", "2026-04-13T13:01:00+08:00", .working, 120),
        // Only the 调休 Saturday counts across 春节.
        ("2026-02-13T18:00:00+08:00", "2026-02-24T09:00:00+08:00", .working, 8 * hour),
        ("2026-04-13T10:00:00+08:00", "2026-04-13T10:00:00+08:00", .working, 0),
    ]

    @Test("Elapsed between two instants", arguments: spans)
    func elapsed(from: String, to: String, basis: TimeBasis, expected: TimeInterval) {
        #expect(F.china.elapsed(from: F.instant(from), to: F.instant(to), basis: basis) == expected)
        #expect(F.china.elapsed(from: F.instant(to), to: F.instant(from), basis: basis) == -expected)
    }

    @Test("Elapsed leaves out paused time, counting overlapping pauses once")
    func elapsedMinusPauses() {
        let pauses = [
            F.pause("2026-04-13T10:00:00+08:00", "2026-04-13T11:00:00+08:00"),
            F.pause("2026-04-13T10:30:00+08:00", "2026-04-13T13:30:00+08:00"),
        ]
        let from = F.instant("2026-04-13T09:00:00+08:00")
        let to = F.instant("2026-04-13T18:00:00+08:00")
        #expect(F.china.elapsed(from: from, to: to, basis: .working, pauses: pauses) == 5.5 * 3600)
        #expect(F.china.elapsed(from: from, to: to, basis: .calendar, pauses: pauses) == 5.5 * 3600)
    }

    static let starts = [
        "2026-04-03T16:30:00+08:00", "2026-02-14T10:00:00+08:00", "2026-10-03T10:00:00+08:00",
        "2026-04-13T12:30:00+08:00", "2026-04-13T07:00:00+08:00", "2026-04-13T19:45:00+08:00",
        "2026-04-10T17:59:00+08:00", "2026-12-31T23:30:00+08:00", "2026-09-19T11:00:00+08:00",
    ]

    static let limits: [TimeLimit] = [.minutes(1), .minutes(45), .hours(3), .hours(24), .days(1), .days(5), .days(300)]

    @Test(
        "Elapsed from start to deadline equals the limit on both bases",
        arguments: TimeBasis.allCases,
        starts
    )
    func symmetryWithDeadline(basis: TimeBasis, start: String) throws {
        let startInstant = F.instant(start)
        for limit in Self.limits {
            let expected: TimeInterval =
                switch limit {
                case .minutes(let count): TimeInterval(count) * 60
                case .hours(let count): TimeInterval(count) * 3600
                case .days(let count): TimeInterval(count) * (basis == .working ? F.china.workingDayLength : 86_400)
                case .endOfDay, .dailyAt: 0
                }
            let due = try #require(F.china.deadline(for: limit, basis: basis, from: startInstant))
            #expect(F.china.elapsed(from: startInstant, to: due, basis: basis) == expected, "\(limit)")
            #expect(F.china.elapsed(from: due, to: startInstant, basis: basis) == -expected, "\(limit)")
            if basis == .working {
                // Due exactly when counting reaches the limit: one second earlier is still short of it.
                let before = due.addingTimeInterval(-1)
                #expect(F.china.elapsed(from: startInstant, to: before, basis: basis) == expected - 1, "\(limit)")
            }
        }
    }

    @Test("Elapsed with pauses matches the paused deadline", arguments: starts)
    func symmetryWithPausedDeadline(start: String) throws {
        let startInstant = F.instant(start)
        let pauses = [
            DateInterval(start: startInstant.addingTimeInterval(-3600), duration: 2 * 3600),
            DateInterval(start: startInstant.addingTimeInterval(20 * 3600), duration: 30 * 3600),
            DateInterval(start: startInstant.addingTimeInterval(30 * 3600), duration: 3600),
        ]
        for basis in TimeBasis.allCases {
            let due = try #require(F.china.deadline(for: .hours(24), basis: basis, from: startInstant, pauses: pauses))
            #expect(F.china.elapsed(from: startInstant, to: due, basis: basis, pauses: pauses) == 24 * 3600)
        }
    }

    @Test("Working-time predicates")
    func workingTime() {
        #expect(F.china.workingDayLength == 8 * 3600)
        #expect(F.china.isWorkingTime(F.instant("2026-04-13T09:00:00+08:00")))
        #expect(F.china.isWorkingTime(F.instant("2026-04-13T11:59:59+08:00")))
        #expect(!F.china.isWorkingTime(F.instant("2026-04-13T12:00:00+08:00")))
        #expect(!F.china.isWorkingTime(F.instant("2026-04-13T18:00:00+08:00")))
        #expect(!F.china.isWorkingTime(F.instant("2026-04-13T08:59:59+08:00")))
        #expect(F.china.isWorkingTime(F.instant("2026-02-14T10:00:00+08:00")))
        #expect(!F.china.isWorkingTime(F.instant("2026-10-03T10:00:00+08:00")))
        #expect(!F.china.isWorkingTime(F.instant("2026-04-11T10:00:00+08:00")))
        // 02:00 UTC is 10:00 in Shanghai, whatever the machine's zone.
        #expect(F.china.isWorkingTime(F.instant("2026-04-13T02:00:00Z")))
    }
}
