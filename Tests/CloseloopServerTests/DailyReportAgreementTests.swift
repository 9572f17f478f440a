import CloseloopCore
import CloseloopServer
import CloseloopStore
import CloseloopTestSupport
import Foundation
import Testing

@_spi(Tools) @testable import CloseloopApp

/// The daily report and the queues count the same complaints: a day is built at known instants and each figure of
/// the report is checked against the listing that shows the complaints behind it.
@Suite("Daily report agrees with the queues")
struct DailyReportAgreementTests {
    static let friday = LocalDate(year: 2026, month: 4, day: 10)

    @Test(
        "Received, closed, closure rate and overdue clocks agree with the listings", arguments: DatabaseKind.available)
    func agreement(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            // Wednesday 10:00: one complaint nobody answers; one classified but its customer never contacted.
            let ignored = try await server.createComplaint(["subject": "无人理会的投诉"])
            let uncontacted = try await server.reaching("investigating", ["subject": "分派后无人联系客户"])
            // Friday 09:00: three complaints received and closed the same day, before any deadline (the first contact
            // is met by the return visit).
            server.time.set(Instants.instant("2026-04-10T09:00:00+08:00"))
            var closedToday: [String] = []
            for index in 1...3 {
                closedToday.append(try await Self.closed(server, subject: "当日结案 \(index)").number)
            }
            // Friday 15:00: one more, just received, its clocks not yet due.
            server.time.set(Instants.instant("2026-04-10T15:00:00+08:00"))
            let openToday = try await server.createComplaint(["subject": "今天刚收到"])
            server.time.advance(by: 60)
            let now = server.time.now()

            let monitoring = MonitoringService(
                store: server.services.store, settings: server.services.settings, time: server.time)
            let report = try await monitoring.report(for: Self.friday, asOf: now)
            let calendar = await server.services.settings.current().calendar
            let dayStart = calendar.startOfDay(Self.friday)

            // Received: the listing of the day's complaints.
            var received = ComplaintQuery()
            received.receivedFrom = dayStart
            received.receivedBefore = now
            received.limit = 200
            let receivedNumbers = try await server.services.store.list(received).records.map(\.complaint.number)
            #expect(report.receivedOnDay == receivedNumbers.count)
            #expect(Set(receivedNumbers) == Set(closedToday + [openToday.number]))

            // Closed: the closed complaints whose closing falls in the day; each of them is in the closure rate.
            var closed = ComplaintQuery()
            closed.states = [.closed]
            closed.limit = 200
            let closedNumbers = try await server.services.store.list(closed).records
                .filter { ($0.complaint.closedAt ?? .distantPast) >= dayStart }.map(\.complaint.number)
            #expect(report.closedOnDay == closedNumbers.count)
            #expect(report.closedOnDay == 3 && report.closedOnDayInTime == 3)
            #expect(report.closureBase >= report.closedOnDay)
            #expect(report.closureInTime >= report.closedOnDayInTime)
            #expect(report.closureRate == 1, "nothing due was missed: the day's closings are its closure rate")

            // Overdue: exactly what the queue's overdue filter lists at the same instant.
            var overdue = ComplaintQuery()
            overdue.dueBefore = now
            overdue.limit = 200
            let overdueNumbers = try await server.services.store.list(overdue).records.map(\.complaint.number)
            #expect(report.overdue == overdueNumbers.count)
            #expect(Set(overdueNumbers) == [ignored.number, uncontacted.number])
            // First response is owed only where nobody classified; first contact is owed on both.
            #expect(report.firstResponseOverdue == [ignored.number])
            #expect(report.firstContactOverdue == 2)

            // The page shows the same figures as the queue it links to.
            let supervisor = WebBrowser(server)
            try await supervisor.signIn(Staff.supervisor)
            let page = try await supervisor.get("/reports/daily?date=2026-04-10")
            #expect(page.contains("<a href=\"/queue?view=all&amp;overdue=1\">2</a>"))
            #expect(page.contains("到期或结案 3 件中按时解决 3 件"))
            let queue = try await supervisor.get("/queue?view=all&overdue=1")
            for number in overdueNumbers { #expect(queue.contains(number)) }
            for number in closedToday + [openToday.number] { #expect(!queue.contains(number)) }
        }
    }

    /// A complaint received now and taken through the loop to closed.
    static func closed(_ server: TestServer, subject: String) async throws -> ComplaintBody {
        var complaint = try await server.reaching("verifying", ["subject": subject])
        complaint = try await server.perform(
            "verify", on: complaint, as: Staff.agent, ["solved": true, "satisfied": true, "score": 5])
        complaint = try await server.perform("record-return-visit", on: complaint, as: Staff.agent, ["notes": "回访满意"])
        complaint = try await server.perform("close", on: complaint, as: Staff.supervisor)
        #expect(complaint.state == "closed")
        return complaint
    }
}
