@_spi(Tools) import CloseloopApp
import CloseloopCore
import CloseloopServer
import CloseloopStore
import CloseloopTestSupport
import Foundation
import HTTPTypes
import Testing
import ZIPFoundation

/// Workbooks for spreadsheets (issue 12, item 8): a real Office Open XML package with typed cells, and the pages'
/// downloads of dashboards, league tables and lists. (LibreOffice opens one in the browser suite.)
@Suite("Workbooks and CSV downloads")
struct WorkbookTests {
    /// The parts of a workbook's package, by path.
    static func parts(_ data: Data) throws -> [String: String] {
        let archive = try Archive(data: data, accessMode: .read)
        var parts: [String: String] = [:]
        for entry in archive {
            var bytes = Data()
            _ = try archive.extract(entry) { bytes.append($0) }
            parts[entry.path] = String(decoding: bytes, as: UTF8.self)
        }
        return parts
    }

    @Test("Cells keep their types: text inline, numbers, percentages, dates; the header bold and frozen")
    func typedCells() throws {
        let workbook = XLSXWorkbook(sheets: [
            .init(
                name: "部门排名: Q4/2026",
                columns: [
                    .init("部门", width: 14), .init("受理量", width: 8), .init("结案率", width: 8), .init("受理时间", width: 16),
                ],
                rows: [
                    [
                        .text("售后服务部 & <物流>"), .integer(80), .percent(0.838),
                        .dateTime(year: 2026, month: 12, day: 3, hour: 9, minute: 30),
                    ],
                    [.text("控制\u{1}字符"), .empty, .number(12.5), .date(year: 1900, month: 3, day: 1)],
                ])
        ])
        let parts = try Self.parts(try workbook.data())
        #expect(
            Set(parts.keys).isSuperset(of: [
                "[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/styles.xml", "xl/worksheets/sheet1.xml",
            ]))
        #expect(parts["xl/workbook.xml"]?.contains(#"name="部门排名_ Q4_2026""#) == true)
        let sheet = try #require(parts["xl/worksheets/sheet1.xml"])
        #expect(sheet.contains(#"<c r="A1" t="inlineStr" s="1"><is><t xml:space="preserve">部门</t>"#))
        #expect(sheet.contains("售后服务部 &amp; &lt;物流&gt;"))
        #expect(sheet.contains(#"<c r="B2"><v>80</v></c>"#))
        #expect(sheet.contains(#"<c r="C2" s="4"><v>0.838</v></c>"#))
        // 2026-12-03 09:30 is day 46359 plus 0.3958… of a day; 1900-03-01 is day 61.
        #expect(sheet.contains(#"<c r="D2" s="2"><v>46359.395833333336</v></c>"#))
        #expect(sheet.contains(#"<c r="D3" s="3"><v>61</v></c>"#))
        #expect(sheet.contains("控制字符"))
        #expect(sheet.contains(#"state="frozen""#))
        #expect(
            XLSXWorkbook.columnName(0) == "A" && XLSXWorkbook.columnName(25) == "Z"
                && XLSXWorkbook.columnName(27) == "AB")
        let csv = try ReportWorkbooks.csv(workbook.sheets[0])
        #expect(csv.hasPrefix(CSVFormat.byteOrderMark + "部门,受理量,结案率,受理时间\r\n"))
        #expect(csv.contains("80,83.8%,2026-12-03 09:30"))
    }

    @Test(
        "The dashboard, the league table and a drill-down list download as workbooks and CSV",
        arguments: DatabaseKind.available)
    func downloads(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let f = try await DashboardTests.seed(server)
            let manager = WebBrowser(server)
            try await manager.signIn(Staff.generalManager)
            let dashboard = try await manager.get("/dashboard.xlsx?period=month&value=2026-04")
            #expect(dashboard.status == .ok)
            let figures = try #require(try Self.parts(Data(dashboard.bytes))["xl/worksheets/sheet1.xml"])
            #expect(figures.contains("受理量"))
            #expect(figures.contains(#"<c r="B2"><v>4</v></c>"#), "four received in April")
            #expect(figures.contains(#"<c r="C2"><v>1</v></c>"#), "one in March")

            let league = try await manager.get("/league.csv?period=month&value=2026-04&by=owner&rank=volume")
            #expect(league.status == .ok)
            #expect(league.html.contains("名次,第一责任人,受理量"))
            #expect(league.html.contains("1,张伟,2,1,50.0%"))

            let closed = try await manager.get("/queue.csv?view=all&from=2026-04-01&to=2026-04-30&outcome=closed")
            #expect(closed.status == .ok)
            #expect(closed.html.contains(f.closed.number))
            #expect(!closed.html.contains(f.web.number))
            #expect(!closed.html.contains("13800138001"), "lists never carry the customer's phone")

            let agent = WebBrowser(server)
            try await agent.signIn(Staff.agent)
            #expect(try await agent.get("/dashboard.xlsx").status == .forbidden)
        }
    }
}
