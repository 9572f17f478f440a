import CloseloopApp
import CloseloopServer
import CloseloopTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// `GET /complaints`: every filter of the queue, full-text search in Chinese and English, and keyset pagination.
@Suite("Listing and searching complaints")
struct ListingTests {
    /// Four complaints at known instants and states:
    /// - `air`: 新装空调不制冷, P2, investigating in after-sales, owner zhangwei, phone 13800138001
    /// - `refund`: 重复扣款要求退款, P1, validated, phone 13900139002
    /// - `door`: English, P0 major, received, phone +44 20 7946 0958
    /// - `fridge`: 冰箱冷藏室结冰, P2, awaiting information, the same customer as `air`
    struct Fixture {
        var air: ComplaintBody
        var refund: ComplaintBody
        var door: ComplaintBody
        var fridge: ComplaintBody
    }

    static let airReceived = Instants.instant("2026-04-08T07:00:00+08:00")
    static let refundReceived = Instants.instant("2026-04-07T15:00:00+08:00")
    static let doorReceived = Instants.instant("2026-04-06T12:00:00+08:00")
    static let fridgeReceived = Instants.instant("2026-04-02T09:30:00+08:00")

    private func seed(_ server: TestServer) async throws -> Fixture {
        let air = try await server.reaching("investigating", ["receivedAt": Instants.text(Self.airReceived)])

        let refund = try await server.reaching(
            "validated",
            [
                "receivedAt": Instants.text(Self.refundReceived), "subject": "重复扣款要求退款",
                "description": "同一订单被扣款两次，请尽快处理。", "priority": "P1",
                "customer": ["name": "吴先生", "phone": "13900139002"] as [String: any Sendable],
            ])

        let door = try await server.createComplaint([
            "receivedAt": Instants.text(Self.doorReceived), "channel": "web",
            "subject": "Delivery arrived with a cracked door",
            "description": "The washing machine was delivered today and the glass door is cracked.",
            "priority": "P0", "severity": "major",
            "customer": ["name": "Mr. Evans", "phone": "+44 20 7946 0958", "email": "evans@example.com"]
                as [String: any Sendable],
        ])

        var fridge = try await server.createComplaint([
            "receivedAt": Instants.text(Self.fridgeReceived), "subject": "冰箱冷藏室结冰",
            "description": "冷藏室后壁频繁结冰，蔬菜被冻坏，要求维修并赔偿损失。",
        ])
        fridge = try await server.perform(
            "check-completeness", on: fridge, as: Staff.agent, ["complete": false, "missing": ["订单号"]])
        #expect(fridge.state == "awaiting_information")
        return Fixture(air: air, refund: refund, door: door, fridge: fridge)
    }

    /// The complaint ids of one page of `GET /complaints?query`.
    private func list(_ server: TestServer, _ query: String, as user: String = Staff.supervisor) async throws
        -> [String]
    {
        try await page(server, query, as: user).items.map(\.id)
    }

    private func page(_ server: TestServer, _ query: String, as user: String = Staff.supervisor) async throws
        -> ComplaintListBody
    {
        try await server.send(.get, "/complaints" + (query.isEmpty ? "" : "?" + query), as: user)
            .expect(.ok, ComplaintListBody.self)
    }

    @Test(
        "Each item of a list is what its row shows, agreeing with the whole complaint; view=full gives the whole",
        arguments: DatabaseKind.available)
    func summaries(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let f = try await seed(server)
            let listed = try await page(server, "").items
            #expect(listed.map(\.id) == [f.air.id, f.refund.id, f.door.id, f.fridge.id])
            for item in listed {
                let whole = try await server.complaint(item.id, as: Staff.supervisor)
                #expect(item.number == whole.number)
                #expect(item.subject == whole.subject)
                #expect(item.customer.name == whole.customer.name)
                #expect(item.state == whole.state && item.kind == whole.kind && item.channel == whole.channel)
                #expect(item.priority == whole.priority && item.severity == whole.severity)
                #expect(item.category == whole.category && item.department == whole.department)
                #expect(item.owner == whole.owner && item.handler == whole.handler)
                #expect(item.receivedAt == whole.receivedAt && item.version == whole.version)
                // The nearest running deadline, as the complaint's clocks name it.
                let running = whole.clocks.filter { $0.stoppedAt == nil && $0.dueAt != nil }
                let nearest = running.min { $0.dueAt! < $1.dueAt! }
                #expect(item.nextDeadline?.clock == nearest?.clock, "\(item.number)")
                #expect(item.nextDeadline?.dueAt == whole.nextDueAt, "\(item.number)")
                #expect(item.nextDeadline?.condition == nearest?.condition, "\(item.number)")
            }
            #expect(listed.first { $0.id == f.air.id }?.customer.phone == "138****8001")

            // Once the nearest deadline has passed, the row says so.
            let deadlines = listed.compactMap { $0.nextDeadline?.dueAt }
            let due = try #require(deadlines.min())
            server.time.set(due.addingTimeInterval(60))
            let later = try await page(server, "sort=due").items
            #expect(later.first?.nextDeadline?.dueAt == due)
            #expect(later.first?.nextDeadline?.condition == "overdue")

            let full = try await server.send(.get, "/complaints?view=full&sort=due", as: Staff.supervisor)
                .expect(.ok, FullListBody.self)
            #expect(full.items.map(\.id) == later.map(\.id))
            #expect(full.items.allSatisfy { !$0.clocks.isEmpty && $0.personalDataMasked })
            #expect(full.items.first { $0.id == f.air.id }?.actions.isEmpty == false)
            let refused = try await server.send(.get, "/complaints?view=everything", as: Staff.supervisor)
            #expect(refused.status == .unprocessableContent)
        }
    }

    @Test("Filters narrow the list; newest first by default", arguments: DatabaseKind.available)
    func filters(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let f = try await seed(server)
            #expect(try await list(server, "") == [f.air.id, f.refund.id, f.door.id, f.fridge.id])

            #expect(try await list(server, "state=investigating") == [f.air.id])
            #expect(try await list(server, "state=validated&state=received") == [f.refund.id, f.door.id])
            #expect(try await list(server, "state=awaiting_information") == [f.fridge.id])
            #expect(try await list(server, "state=closed").isEmpty)
            #expect(try await list(server, "priority=P0") == [f.door.id])
            #expect(try await list(server, "priority=P2") == [f.air.id, f.fridge.id])
            #expect(try await list(server, "severity=major") == [f.door.id])
            #expect(try await list(server, "state=received&priority=P0") == [f.door.id])
            #expect(try await list(server, "department=after_sales") == [f.air.id])
            #expect(try await list(server, "department=logistics").isEmpty)
            #expect(try await list(server, "owner=\(Staff.agent)") == [f.air.id])
            #expect(try await list(server, "owner=\(Staff.otherAgent)").isEmpty)

            // Date range: from is inclusive, before is exclusive.
            let from = query(Instants.text(Self.doorReceived))
            let before = query(Instants.text(Self.airReceived))
            #expect(
                try await list(server, "receivedFrom=\(from)&receivedBefore=\(before)") == [f.refund.id, f.door.id])
            #expect(
                try await list(server, "receivedBefore=\(query(Instants.text(Self.doorReceived)))") == [f.fridge.id])

            // The customer's phone, however it is typed.
            for phone in ["13800138001", "+86 138-0013-8001", "138 0013 8001", "+8613800138001"] {
                #expect(try await list(server, "customerPhone=\(query(phone))") == [f.air.id, f.fridge.id], "\(phone)")
            }
            #expect(try await list(server, "customerPhone=\(query("+44 20 7946 0958"))") == [f.door.id])
            #expect(try await list(server, "customerPhone=13700137003").isEmpty)
        }
    }

    @Test(
        "Full-text search finds Chinese two- and three-character terms and English words",
        arguments: DatabaseKind.available,
        [
            SearchCase("退款", ["refund"]),
            SearchCase("扣款", ["refund"]),
            SearchCase("不制冷", ["air"]),
            SearchCase("冷藏室", ["fridge"]),
            SearchCase("结冰 蔬菜", ["fridge"]),
            SearchCase("空调 结冰", []),
            SearchCase("cracked", ["door"]),
            SearchCase("Cracked DOOR", ["door"]),
            SearchCase("washing machine", ["door"]),
            SearchCase("异响", ["air"]),
            SearchCase("要求", ["refund", "fridge"]),
            SearchCase("%", []),
            SearchCase("_", []),
        ])
    func search(kind: DatabaseKind, search: SearchCase) async throws {
        try await withServer(kind) { server in
            let f = try await seed(server)
            let ids = ["air": f.air.id, "refund": f.refund.id, "door": f.door.id, "fridge": f.fridge.id]
            let found = try await list(server, "q=\(query(search.terms))")
            #expect(found == search.expected.map { ids[$0]! })
        }
    }

    @Test("overdue lists the complaints whose next deadline has passed", arguments: DatabaseKind.available)
    func overdue(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            // Received Wednesday 10:00: the 30-minute first-contact clock is due at 10:30.
            let late = try await server.createComplaint()
            #expect(late.nextDueAt == Instants.instant("2026-04-08T10:30:00+08:00"))
            #expect(try await list(server, "overdue=true").isEmpty)

            server.time.advance(by: 31 * 60)
            let fresh = try await server.createComplaint(["subject": "第二单"])
            #expect(try await list(server, "overdue=true") == [late.id])
            #expect(try await list(server, "overdue=false") == [fresh.id, late.id])
            #expect(try await list(server, "sort=due") == [late.id, fresh.id])
            let view = try await server.complaint(late.id, as: Staff.agent)
            #expect(view.clock("first_contact")?.condition == "overdue")
            #expect(view.clock("resolution")?.condition == "running")

            // Reaching the customer stops that clock; the complaint is no longer overdue.
            _ = try await server.perform("record-contact", on: view, as: Staff.agent, ["outcome": "reached"])
            #expect(try await list(server, "overdue=true").isEmpty)
        }
    }

    @Test(
        "Nearest deadline first, then the complaints without a running clock, across pages of any size",
        arguments: DatabaseKind.available)
    func dueOrderAcrossPages(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            _ = try await seed(server)
            // Two closed as invalid: no clock runs on them.
            for index in 1...2 {
                var closed = try await server.createComplaint(["subject": "无效投诉 \(index)"])
                closed = try await server.perform(
                    "check-completeness", on: closed, as: Staff.agent, ["complete": true])
                closed = try await server.perform(
                    "decide-validity", on: closed, as: Staff.agent, ["valid": false, "reason": "非本公司产品"])
                #expect(closed.state == "closed")
            }
            let whole = try await page(server, "sort=due&limit=200").items
            let deadlines = whole.compactMap { $0.nextDeadline?.dueAt }
            #expect(deadlines == deadlines.sorted())
            #expect(deadlines.count == whole.count - 2)
            #expect(whole.prefix(deadlines.count).allSatisfy { $0.nextDeadline != nil })
            for size in 1...3 {
                var walked: [String] = []
                var cursor: String?
                repeat {
                    let page = try await page(
                        server, "sort=due&limit=\(size)" + (cursor.map { "&cursor=\(query($0))" } ?? ""))
                    walked += page.items.map(\.id)
                    cursor = page.nextCursor
                } while cursor != nil && walked.count <= whole.count
                #expect(walked == whole.map(\.id), "pages of \(size)")
            }
        }
    }

    @Test("Cursor pagination walks every complaint once and ends without a cursor", arguments: DatabaseKind.available)
    func pagination(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            var created: [String] = []
            // Three share one receivedAt, so the keyset has to break ties.
            let instants = [-1, -2, -2, -2, -5, -8, -13].map {
                Instants.wednesdayMorning.addingTimeInterval(Double($0) * 3600)
            }
            for (index, instant) in instants.enumerated() {
                created.append(
                    try await server.createComplaint([
                        "receivedAt": Instants.text(instant), "subject": "分页测试 \(index)",
                    ]).id)
            }
            for sort in ["received", "due"] {
                var seen: [String] = []
                var cursor: String?
                var pages = 0
                repeat {
                    let query = "limit=3&sort=\(sort)" + (cursor.map { "&cursor=\(self.query($0))" } ?? "")
                    let page = try await page(server, query)
                    pages += 1
                    #expect(page.items.count == (pages < 3 ? 3 : 1), "\(sort) page \(pages)")
                    seen += page.items.map(\.id)
                    cursor = page.nextCursor
                } while cursor != nil && pages < 10
                #expect(pages == 3, "\(sort)")
                #expect(seen.count == Set(seen).count, "\(sort): a complaint appeared twice")
                #expect(Set(seen) == Set(created), "\(sort)")
            }
            // Newest first across pages, as on one page.
            let all = try await list(server, "limit=200")
            var walked: [String] = []
            var cursor: String?
            repeat {
                let page = try await page(server, "limit=2" + (cursor.map { "&cursor=\(query($0))" } ?? ""))
                walked += page.items.map(\.id)
                cursor = page.nextCursor
            } while cursor != nil
            #expect(walked == all)

            // A page that ends exactly at the last complaint has no cursor.
            let exact = try await page(server, "limit=7")
            #expect(exact.items.count == 7)
            #expect(exact.nextCursor == nil)
            // Filters and pagination combine.
            let filtered = try await page(server, "limit=1&q=\(query("分页测试 3"))")
            #expect(filtered.items.count == 1)
            #expect(filtered.nextCursor == nil)
        }
    }

    @Test(
        "A search pages newest first over the API through matches weeks and months apart, cursor by cursor",
        arguments: DatabaseKind.available)
    func searchAcrossWeeks(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            // Matches today, in this week, last week, five weeks and eleven weeks ago, with others between them. (The
            // store's search tests read such matches in PostgreSQL's week windows; a server this small does not.)
            var matches: [String] = []
            for (index, days) in [0.0, 2, 10, 40, 80].enumerated() {
                let instant = Instants.wednesdayMorning.addingTimeInterval(-days * 86_400 - 60)
                matches.append(
                    try await server.createComplaint([
                        "receivedAt": Instants.text(instant), "subject": "冰箱漏水 第\(index + 1)次",
                    ]).id)
                _ = try await server.createComplaint([
                    "receivedAt": Instants.text(instant.addingTimeInterval(-30)), "subject": "空调不制冷 \(index)",
                ])
            }
            for size in 1...3 {
                var walked: [String] = []
                var cursor: String?
                repeat {
                    let page = try await page(
                        server, "q=\(query("冰箱漏水"))&limit=\(size)" + (cursor.map { "&cursor=\(query($0))" } ?? ""))
                    walked += page.items.map(\.id)
                    cursor = page.nextCursor
                } while cursor != nil && walked.count <= matches.count
                #expect(walked == matches, "pages of \(size)")
            }
        }
    }

    /// Percent-encodes a query value strictly (a `+` would otherwise read as a space).
    private func query(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~")))!
    }
}

/// Search terms and the fixture complaints (by name) they must find, newest first.
struct SearchCase: Sendable, CustomTestStringConvertible {
    var terms: String
    var expected: [String]

    init(_ terms: String, _ expected: [String]) {
        self.terms = terms
        self.expected = expected
    }

    var testDescription: String { "q=\(terms)" }
}
