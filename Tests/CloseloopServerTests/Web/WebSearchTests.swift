@_spi(Tools) import CloseloopApp
import CloseloopCore
import CloseloopServer
import CloseloopStore
import CloseloopTestSupport
import Foundation
import HTTPTypes
import Testing

/// The header's one search box (issue 15 item 1): what a caller quotes finds their complaint, on both databases.
@Suite("Header search")
struct WebSearchTests {
    @Test(
        "A number, a phone in any format, a name, an email, an order reference or words find the complaint",
        arguments: DatabaseKind.available)
    func finds(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let zhou = try await server.createComplaint()
            server.time.advance(by: 60)
            let again = try await server.createComplaint([
                "customer": ["name": "周女士", "phone": "+86 138-0013-8001"] as [String: any Sendable],
                "reference": "SO-2026-05-0007", "subject": "第二台空调也不制冷",
            ])
            server.time.advance(by: 60)
            let other = try await server.createComplaint([
                "customer": ["name": "Mr. Evans", "email": "Evans@Example.com"] as [String: any Sendable],
                "reference": "WL-88231", "subject": "Parcel lost in transit",
                "description": "The parcel never arrived.",
            ])
            let agent = WebBrowser(server)
            try await agent.signIn(Staff.agent)

            // A whole number opens the complaint, spaces and all.
            let exact = try await agent.get("/search?q=\(zhou.number)")
            #expect(exact.status == .seeOther && exact.location == "/complaints/\(zhou.number)")

            // Its beginning lists every complaint numbered so, newest first.
            let prefix = try await agent.get("/search?q=\(zhou.number.prefix(6))")
            #expect(prefix.status == .ok)
            #expect(Self.numbers(prefix) == [other.number, again.number, zhou.number])

            // A phone in another format finds the customer and both their complaints, as their history.
            let phone = try await agent.get("/search?q=%2B86+138+0013+8001")
            #expect(Self.numbers(phone).prefix(2) == [again.number, zhou.number])
            #expect(phone.contains("138****8001") && phone.contains("共 2 件投诉，2 件未结案"))
            #expect(!phone.contains(other.number))
            let dashed = try await agent.get("/search?q=138-0013")
            #expect(Self.numbers(dashed).contains(zhou.number))

            let name = try await agent.get("/search?q=%E5%91%A8%E5%A5%B3%E5%A3%AB")  // 周女士
            #expect(Self.numbers(name).prefix(2) == [again.number, zhou.number])
            let email = try await agent.get("/search?q=evans%40example")
            #expect(Self.numbers(email) == [other.number])
            let reference = try await agent.get("/search?q=wl-882")
            #expect(Self.numbers(reference) == [other.number])
            #expect(reference.contains("订单号"))
            #expect(reference.contains("WL-88231"))  // as the customer gave it, though matched lowercased
            let words = try await agent.get("/search?q=parcel+transit")
            #expect(Self.numbers(words) == [other.number])

            let nothing = try await agent.get("/search?q=%E6%B2%A1%E6%9C%89%E8%BF%99%E4%BB%B6%E4%BA%8B")
            #expect(nothing.status == .ok && nothing.contains("没有找到匹配的投诉或客户"))
            // Every staff page carries the box.
            #expect(try await agent.get("/queue").contains("id=\"global-search\""))
        }
    }

    @Test(
        "The API's lookup finds alike: a call centre's telephony pops up the caller's history",
        arguments: DatabaseKind.available)
    func api(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let first = try await server.createComplaint()
            server.time.advance(by: 60)
            let second = try await server.createComplaint(["subject": "又来电了", "reference": " SO-77-Ab "])
            let found = try await server.send(.get, "/lookup?q=%2B86%20138-0013-8001", as: Staff.agent)
                .expect(.ok, LookupBody.self)
            #expect(found.exact == nil)
            #expect(found.results.map(\.complaint.number) == [second.number, first.number])
            #expect(found.results.allSatisfy { $0.match == "phone" })
            #expect(found.customers.count == 1 && found.customers[0].phone == "138****8001")
            #expect(
                found.customers[0].complaints == [second.number, first.number] && found.customers[0].openCount == 2)
            let reference = try await server.send(.get, "/lookup?q=so-77", as: Staff.agent)
                .expect(.ok, LookupBody.self)
            #expect(reference.results.map(\.match) == ["reference"])
            #expect(reference.results.first?.complaint.reference == "SO-77-Ab")
            #expect(reference.results.first?.complaint.customer.phone == "138****8001")
            let exact = try await server.send(.get, "/lookup?q=\(first.number)", as: Staff.agent)
                .expect(.ok, LookupBody.self)
            #expect(exact.exact == first.number && exact.results.first?.complaint.number == first.number)
            let blank = try await server.send(.get, "/lookup?q=%20", as: Staff.agent).problem(.unprocessableContent)
            #expect(blank.errors?.first?.field == "q")
            _ = try await server.send(.get, "/lookup?q=138").problem(.unauthorized)
        }
    }

    struct LookupBody: Decodable {
        struct Hit: Decodable {
            var match: String
            var complaint: SummaryBody
        }
        struct Customer: Decodable {
            var name: String
            var phone: String?
            var openCount: Int
            var complaints: [String]
        }
        var exact: String?
        var results: [Hit]
        var customers: [Customer]
    }

    @Test("The customer who is not signed in as staff is sent to sign in")
    func staffOnly() async throws {
        try await withServer(.sqlite) { server in
            let page = try await WebBrowser(server).get("/search?q=138")
            #expect(page.status == .seeOther && page.location?.hasPrefix("/login") == true)
        }
    }

    /// The complaint numbers the results table lists, in order (the customer's history comes first on the page).
    static func numbers(_ page: WebBrowser.Page) -> [String] {
        let results = page.html.components(separatedBy: "id=\"hits-heading\"").last ?? ""
        return results.matches(of: /href="\/complaints\/(\d+)"/).map { String($0.output.1) }
    }
}
