@_spi(Tools) import CloseloopApp
import CloseloopCore
import CloseloopServer
import CloseloopStore
import CloseloopTestSupport
import Foundation
import Testing

/// SPEC §7's period statistics, summed in SQL from the columns each write mirrors from the complaint.
@Suite("Period statistics")
struct StatisticsTests {
    @Test("A month's figures: volume by dimension, closure, on-time, satisfaction", arguments: DatabaseKind.available)
    func month(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            // April: one complaint taken through the loop and rated 4, one left waiting.
            _ = try await LoopOverHTTPTests.closedComplaint(server)
            _ = try await server.createComplaint(["subject": "还在等待处理"])
            // May: outside the period.
            server.time.set(Instants.instant("2026-05-06T10:00:00+08:00"))
            _ = try await server.createComplaint(["subject": "五月的投诉"])

            let calendar = await server.services.settings.current().calendar
            let april = try await server.services.store.statistics(
                StatisticsDays(
                    from: LocalDate(year: 2026, month: 4, day: 1), until: LocalDate(year: 2026, month: 5, day: 1),
                    calendar: calendar))
            #expect(april.received == 2)
            #expect(april.closed == 1 && april.closureRate == 0.5)
            #expect(april.breakdowns[.department]?["after_sales"] == 1)
            #expect(april.breakdowns[.department]?[""] == 1)
            #expect(april.breakdowns[.state]?["closed"] == 1)
            #expect(april.breakdowns[.channel]?.counts.map(\.count).reduce(0, +) == 2)
            #expect(april.rated == 1 && april.meanRating == 4 && april.satisfaction == 75 && april.negative == 0)
            #expect(april.firstResponseOnTime == 1 && april.firstResponseLate == 0)
            #expect(april.resolutionOnTime == 1 && april.resolutionLate == 0)
            #expect(april.repeats == 0 && april.reopened == 0)
            #expect(april.meanHoursToClose.map { $0 >= 0 } == true)

            let report = StatisticsReport(
                statistics: april, title: "2026-04", departments: try await server.services.store.departments())
            let text = report.text(in: .zhHans)
            #expect(text.contains("投诉统计报表 2026-04"))
            #expect(text.contains("已结案：1（50.0%）"))
            #expect(text.contains("售后服务部\t1"))
            let csv = try report.csv(in: .en)
            #expect(csv.hasPrefix(CSVFormat.byteOrderMark + "section,key,value\r\n"))
            #expect(csv.contains("total,received,2\r\n"))
            #expect(csv.contains("clock_met,resolution,1\r\n"))
            #expect(text.contains("各时限按时率："))

            let empty = try await server.services.store.statistics(
                StatisticsDays(
                    from: LocalDate(year: 2025, month: 1, day: 1), until: LocalDate(year: 2025, month: 2, day: 1),
                    calendar: calendar))
            #expect(empty.received == 0 && empty.closureRate == nil && empty.satisfaction == nil)
        }
    }
}
