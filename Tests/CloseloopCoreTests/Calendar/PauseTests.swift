import CloseloopCore
import Foundation
import Testing

@Suite("Pauses while waiting for the customer or under an approved delay")
struct PauseTests {
    typealias F = CalendarFixtures

    /// Monday 09:00 with 4 working hours is due at 14:00 without pauses.
    static let start = "2026-04-13T09:00:00+08:00"

    @Test(
        "Working clocks are extended by the working time pauses cover, and only by that",
        arguments: [
            ([], "2026-04-13T14:00:00+08:00"),
            // A closed pause in the middle.
            ([F.pause("2026-04-13T10:00:00+08:00", "2026-04-13T11:00:00+08:00")], "2026-04-13T15:00:00+08:00"),
            // Exactly the lunch break: nothing to extend.
            ([F.pause("2026-04-13T12:00:00+08:00", "2026-04-13T13:00:00+08:00")], "2026-04-13T14:00:00+08:00"),
            // Half of it inside lunch.
            ([F.pause("2026-04-13T11:30:00+08:00", "2026-04-13T13:30:00+08:00")], "2026-04-13T15:00:00+08:00"),
            // Overlapping pauses count once: 10:00–11:30.
            (
                [
                    F.pause("2026-04-13T10:30:00+08:00", "2026-04-13T11:30:00+08:00"),
                    F.pause("2026-04-13T10:00:00+08:00", "2026-04-13T11:00:00+08:00"),
                ],
                "2026-04-13T15:30:00+08:00"
            ),
            // One pause inside another.
            (
                [
                    F.pause("2026-04-13T10:00:00+08:00", "2026-04-13T11:00:00+08:00"),
                    F.pause("2026-04-13T10:15:00+08:00", "2026-04-13T10:45:00+08:00"),
                ],
                "2026-04-13T15:00:00+08:00"
            ),
            // Begun before the clock started.
            ([F.pause("2026-04-13T08:00:00+08:00", "2026-04-13T10:00:00+08:00")], "2026-04-13T15:00:00+08:00"),
            // Entirely before the clock started.
            ([F.pause("2026-04-10T10:00:00+08:00", "2026-04-10T11:00:00+08:00")], "2026-04-13T14:00:00+08:00"),
            // After the deadline.
            ([F.pause("2026-04-13T14:00:00+08:00", "2026-04-13T16:00:00+08:00")], "2026-04-13T14:00:00+08:00"),
            // Running past the end of the day pushes the deadline into Tuesday.
            ([F.pause("2026-04-13T13:30:00+08:00", "2026-04-14T10:00:00+08:00")], "2026-04-14T10:30:00+08:00"),
            // Open-ended but beginning exactly at the deadline: the clock has already finished.
            ([F.openPause(from: "2026-04-13T14:00:00+08:00")], "2026-04-13T14:00:00+08:00"),
        ]
    )
    func workingPauses(pauses: [DateInterval], expected: String) {
        #expect(F.due(.hours(4), .working, from: Self.start, pauses: pauses) == F.instant(expected))
    }

    @Test("A pause over the night and the weekend covers no working time")
    func pauseOverNonWorkingTime() {
        let overnight = F.pause("2026-04-13T18:00:00+08:00", "2026-04-14T09:00:00+08:00")
        #expect(
            F.due(.hours(8), .working, from: "2026-04-13T13:00:00+08:00", pauses: [overnight])
                == F.instant("2026-04-14T12:00:00+08:00")
        )
        let weekend = F.pause("2026-04-10T18:00:00+08:00", "2026-04-13T09:00:00+08:00")
        #expect(
            F.due(.hours(2), .working, from: "2026-04-10T17:00:00+08:00", pauses: [weekend])
                == F.instant("2026-04-13T10:00:00+08:00")
        )
        let fridayToMonday = F.pause("2026-04-10T17:30:00+08:00", "2026-04-13T09:30:00+08:00")
        #expect(
            F.due(.hours(2), .working, from: "2026-04-10T17:00:00+08:00", pauses: [fridayToMonday])
                == F.instant("2026-04-13T11:00:00+08:00")
        )
    }

    @Test(
        "An open-ended pause that begins before the deadline stops the clock",
        arguments: TimeBasis.allCases,
        [TimeLimit.minutes(30), .hours(4), .days(5), .endOfDay]
    )
    func openEndedPause(basis: TimeBasis, limit: TimeLimit) {
        let pauses = [F.openPause(from: "2026-04-13T09:10:00+08:00")]
        #expect(F.due(limit, basis, from: Self.start, pauses: pauses) == nil)
    }

    @Test("An open-ended pause that began before the clock started stops it from the start")
    func openEndedPauseBeforeStart() {
        let pauses = [F.openPause(from: "2026-04-10T09:00:00+08:00")]
        #expect(F.due(.minutes(1), .working, from: Self.start, pauses: pauses) == nil)
        #expect(F.due(.minutes(1), .calendar, from: Self.start, pauses: pauses) == nil)
    }

    @Test("Calendar clocks are extended by every paused second")
    func calendarPauses() {
        let pauses = [
            F.pause("2026-04-13T23:45:00+08:00", "2026-04-14T00:15:00+08:00"),
            F.pause("2026-04-14T00:00:00+08:00", "2026-04-14T00:20:00+08:00"),
        ]
        #expect(
            F.due(.hours(1), .calendar, from: "2026-04-13T23:30:00+08:00", pauses: pauses)
                == F.instant("2026-04-14T01:05:00+08:00")
        )
    }

    @Test("dailyAt ignores pauses, even open-ended ones")
    func dailyAtIgnoresPauses() {
        let pauses = [F.openPause(from: "2026-04-13T09:10:00+08:00")]
        let limit = TimeLimit.dailyAt(LocalTime(hour: 17, minute: 0))
        #expect(F.due(limit, .working, from: Self.start, pauses: pauses) == F.instant("2026-04-13T17:00:00+08:00"))
    }
}
