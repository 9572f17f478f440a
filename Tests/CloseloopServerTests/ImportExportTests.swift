import CloseloopCore
import CloseloopServer
import CloseloopStore
import CloseloopTestSupport
import Foundation
import HTTPTypes
import Testing

@_spi(Tools) @testable import CloseloopApp

/// CSV import (all rows or none, idempotent per file) and export (UTF-8 BOM, masked personal data) as
/// `closeloop import` / `closeloop export` run them.
@Suite("CSV import and export")
struct ImportExportTests {
    /// Three rows with what spreadsheets produce: quoted commas, quotes, line breaks inside a field, Chinese text,
    /// CRLF line ends and a blank trailing line.
    static let goodFile = [
        "channel,customer_name,customer_phone,customer_email,reference,subject,description,priority,severity,received_at",
        #"phone,周女士,13800138001,,SO-1,"空调不制冷,室外机异响","开机半小时""没有""变化"#
            + "\r\n" + #"第二天仍然如此",P1,very_dissatisfied,2026-04-07T09:15:00+08:00"#,
        #"email,"Evans, John",+44 20 7946 0958,evans@example.com,SO-2,"Door cracked, glass","Delivered with a cracked door",P2,,"#,
        #"letter,吴先生,139-0013-9002,,,快递三天未更新,物流信息三天没有更新,,,2026-04-01T10:00:00Z"#,
        "",
    ].joined(separator: "\r\n")

    private func run(_ kind: DatabaseKind, _ body: @Sendable (TestServer) async throws -> Void) async throws {
        try await withServer(kind, body)
    }

    @Test(
        "A file with quoted commas, line breaks and Chinese imports every row exactly",
        arguments: DatabaseKind.available)
    func importsRows(kind: DatabaseKind) async throws {
        try await run(kind) { server in
            let agent = try await server.member(Staff.agent)
            let outcome = try await ComplaintImport(service: server.services.complaints).run(
                Self.goodFile, by: .staff(agent))
            #expect(outcome.created == 3)
            #expect(outcome.alreadyImported == 0)

            let list = try await server.send(.get, "/complaints?view=full", as: Staff.agent)
                .expect(.ok, FullListBody.self)
            #expect(list.items.count == 3)
            let bySubject = Dictionary(uniqueKeysWithValues: list.items.map { ($0.subject, $0) })
            let air = try #require(bySubject["空调不制冷,室外机异响"])
            #expect(air.description == "开机半小时\"没有\"变化\r\n第二天仍然如此" || air.description == "开机半小时\"没有\"变化\n第二天仍然如此")
            #expect(air.priority == "P1")
            #expect(air.severity == "very_dissatisfied")
            #expect(air.channel == "phone")
            #expect(air.receivedAt == Instants.instant("2026-04-07T09:15:00+08:00"))
            #expect(try await server.complaint(air.id, as: Staff.agent).customer.phone == "13800138001")
            let door = try #require(bySubject["Door cracked, glass"])
            #expect(door.customer.name == "Evans, John")
            #expect(try await server.complaint(door.id, as: Staff.agent).customer.email == "evans@example.com")
            #expect(door.receivedAt == Instants.wednesdayMorning)
            #expect(door.priority == "P2")
            #expect(door.severity == "dissatisfied")
            let parcel = try #require(bySubject["快递三天未更新"])
            #expect(parcel.receivedAt == Instants.instant("2026-04-01T10:00:00Z"))
            #expect(parcel.channel == "letter")
            // Imported complaints are found by search and by phone like any other.
            let found = try await server.send(.get, "/complaints?q=%E5%BC%82%E5%93%8D", as: Staff.agent)
                .expect(.ok, ComplaintListBody.self)
            #expect(found.items.map(\.id) == [air.id])
        }
    }

    @Test("One bad row imports nothing, and every bad row is listed", arguments: DatabaseKind.available)
    func invalidRows(kind: DatabaseKind) async throws {
        try await run(kind) { server in
            let file = [
                "channel,customer_name,customer_phone,subject,description,priority",
                "phone,周女士,13800138001,空调不制冷,开机没有变化,P1",
                "phone,吴先生,12345,快递未到,三天没有更新,P2",
                "fax,郑女士,13700137003,冰箱结冰,冷藏室结冰,P2",
                "phone,冯先生,13500135005,热水器跳闸,\"多次跳闸,担心漏电\",P0",
                "phone,,,,,P7",
            ].joined(separator: "\n")
            let agent = try await server.member(Staff.agent)
            let error = await #expect(throws: ImportError.self) {
                try await ComplaintImport(service: server.services.complaints).run(file, by: .staff(agent))
            }
            guard case .invalidRows(let problems) = error else {
                Issue.record("expected invalidRows, got \(String(describing: error))")
                return
            }
            #expect(problems.map(\.line) == [3, 4, 6])
            #expect(problems[0].messages.joined().contains("customer.phone"))
            #expect(problems[1].messages.joined().contains("fax"))
            let last = problems[2].messages.joined(separator: "; ")
            for word in ["P7", "customer.name", "subject", "description", "customer.phone"] {
                #expect(last.contains(word), "\(word) in \(last)")
            }
            #expect(try await server.complaintCount() == 0)
        }
    }

    @Test(
        "A quote left open or a stray comma names the row and imports nothing", arguments: DatabaseKind.available)
    func malformedRows(kind: DatabaseKind) async throws {
        try await run(kind) { server in
            let file = [
                "channel,customer_name,customer_phone,subject,description",
                "phone,周女士,13800138001,空调不制冷,开机没有变化",
                "phone,吴先生,13900139002,快递未到,三天没有更新,多余",
                "phone,郑女士,13700137003,\"冰箱结冰,冷藏室结冰",
                "phone,冯先生,13500135005,热水器跳闸,多次跳闸",
            ].joined(separator: "\r\n")
            let agent = try await server.member(Staff.agent)
            let error = await #expect(throws: ImportError.self) {
                try await ComplaintImport(service: server.services.complaints).run(file, by: .staff(agent))
            }
            guard case .invalidRows(let problems) = error else {
                Issue.record("expected invalidRows, got \(String(describing: error))")
                return
            }
            // The open quote swallows the rest of the file into row 4's subject, so row 5 never appears on its own.
            #expect(problems.map(\.line) == [3, 4])
            #expect(problems.allSatisfy { $0.messages.joined().contains("where the header has 5") })
            #expect(try await server.complaintCount() == 0)
        }
    }

    @Test("A whole CSV file reads to its last record: byte-order mark, quoted commas, quotes and line breaks")
    func wholeFile() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("closeloop-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: file) }
        let text =
            CSVFormat.byteOrderMark
            + "text,is_complaint\r\n\"送货慢, 包装破损\",1\r\n\"说\"\"马上到\"\"\n结果等了三天\",1\r\nfine,0"
        try Data(text.utf8).write(to: file)
        let records = try CSVFormat.records(inFileAt: file)
        #expect(records.map { $0["text"] } == ["送货慢, 包装破损", "说\"马上到\"\n结果等了三天", "fine"])
        #expect(records.map { $0["is_complaint"] } == ["1", "1", "0"])
        #expect(try CSVFormat.records(inFileAt: file, limit: 2).count == 2)
    }

    @Test("Importing the same file twice creates nothing new", arguments: DatabaseKind.available)
    func idempotentImport(kind: DatabaseKind) async throws {
        try await run(kind) { server in
            let agent = try await server.member(Staff.agent)
            let importer = ComplaintImport(service: server.services.complaints)
            let first = try await importer.run(Self.goodFile, by: .staff(agent))
            server.time.advance(by: 3600)
            let second = try await importer.run(Self.goodFile, by: .staff(agent))
            #expect(first.created == 3)
            #expect(second.created == 0)
            #expect(second.alreadyImported == 3)
            #expect(try await server.complaintCount() == 3)
            // A different file with the same rows is a different import.
            let third = try await importer.run(Self.goodFile + "\r\n", by: .staff(agent))
            #expect(third.created == 3)
            #expect(try await server.complaintCount() == 6)
        }
    }

    @Test(
        "Export starts with the UTF-8 BOM, masks personal data unless asked, and parses back",
        arguments: DatabaseKind.available)
    func export(kind: DatabaseKind) async throws {
        try await run(kind) { server in
            let agent = try await server.member(Staff.agent)
            _ = try await ComplaintImport(service: server.services.complaints).run(Self.goodFile, by: .staff(agent))
            let exporter = ComplaintExport(store: server.services.store)

            var masked = ""
            let count = try await exporter.run(includePersonalData: false) { masked += $0 }
            #expect(count == 3)
            #expect(Array(masked.utf8.prefix(3)) == [0xEF, 0xBB, 0xBF])
            let rows = try CSVFormat.rows(masked)
            #expect(rows.count == 4)
            #expect(rows[0] == ComplaintExport.header)
            #expect(rows.dropFirst().allSatisfy { $0.count == ComplaintExport.header.count })
            let column = Dictionary(uniqueKeysWithValues: ComplaintExport.header.enumerated().map { ($1, $0) })
            let bySubject = Dictionary(uniqueKeysWithValues: rows.dropFirst().map { ($0[column["subject"]!], $0) })
            let air = try #require(bySubject["空调不制冷,室外机异响"])
            #expect(air[column["customer_phone"]!] == "138****8001")
            #expect(air[column["customer_name"]!] == "周女士")
            #expect(air[column["description"]!].contains("开机半小时\"没有\"变化"))
            #expect(air[column["description"]!].hasSuffix("第二天仍然如此"))
            #expect(air[column["priority"]!] == "P1")
            #expect(air[column["received_at"]!] == "2026-04-07T01:15:00Z")
            let door = try #require(bySubject["Door cracked, glass"])
            #expect(door[column["customer_name"]!] == "Evans, John")
            #expect(door[column["customer_email"]!] == "e***@example.com")
            #expect(!masked.contains("13800138001"))
            #expect(!masked.contains("evans@example.com"))

            var full = ""
            _ = try await exporter.run(includePersonalData: true) { full += $0 }
            let fullRows = try CSVFormat.rows(full)
            let fullBySubject = Dictionary(
                uniqueKeysWithValues: fullRows.dropFirst().map { ($0[column["subject"]!], $0) })
            #expect(fullBySubject["空调不制冷,室外机异响"]?[column["customer_phone"]!] == "13800138001")
            #expect(fullBySubject["Door cracked, glass"]?[column["customer_email"]!] == "evans@example.com")
            // A value a spreadsheet would run as a formula is kept as text with a leading apostrophe.
            #expect(fullBySubject["Door cracked, glass"]?[column["customer_phone"]!] == "'+44 20 7946 0958")
        }
    }

    @Test(
        "Export neutralises spreadsheet formulas, also in fields that need quoting", arguments: DatabaseKind.available)
    func formulaInjection(kind: DatabaseKind) async throws {
        try await run(kind) { server in
            _ = try await server.createComplaint(["subject": "=1+1", "description": "plain"])
            _ = try await server.createComplaint([
                "subject": #"=HYPERLINK("http://evil.example","点击查看")"#, "description": "@SUM(A1:A9),x",
            ])
            var text = ""
            _ = try await ComplaintExport(store: server.services.store).run(includePersonalData: false) { text += $0 }
            let rows = try CSVFormat.rows(text)
            let column = try #require(ComplaintExport.header.firstIndex(of: "subject"))
            let descriptionColumn = try #require(ComplaintExport.header.firstIndex(of: "description"))
            let subjects = rows.dropFirst().map { $0[column] }
            #expect(subjects.contains("'=1+1"))
            // A formula that also needs quoting ("=HYPERLINK(""…"",""点击查看"")") is defused before it is quoted.
            #expect(subjects.allSatisfy { !$0.hasPrefix("=") && !$0.hasPrefix("@") })
            #expect(rows.dropFirst().allSatisfy { !$0[descriptionColumn].hasPrefix("@") })
        }
    }
}
