import CloseloopCore
import CloseloopServer
import CloseloopTestSupport
import Foundation
import HTTPTypes
import Testing

/// English pages read as English: no "、", "（", "）", "：", "，" or "；" from pieces joined in code written with Chinese
/// in mind, and action names capitalised. The complaint is written in English, so any such mark is the page's own.
@Suite("English pages use English punctuation")
struct WebEnglishPunctuationTests {
    static let chineseMarks: [Character] = ["、", "（", "）", "：", "，", "；"]

    /// The Chinese marks in `page`, each with a little of its surroundings to say where it came from.
    static func chineseMarks(in page: WebBrowser.Page) -> [String] {
        let text = page.html
        return text.indices.filter { Self.chineseMarks.contains(text[$0]) }.map { index in
            let start = text.index(index, offsetBy: -40, limitedBy: text.startIndex) ?? text.startIndex
            let end = text.index(index, offsetBy: 40, limitedBy: text.endIndex) ?? text.endIndex
            return String(text[start..<end])
        }
    }

    @Test(
        "The complaint page, the queue, the daily report, the users list and the portal",
        arguments: DatabaseKind.available)
    func englishPages(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let english: [String: any Sendable] = [
                "subject": "Washing machine door cracked", "description": "The glass door arrived cracked.",
                "product": "Washer W-8", "reference": "SO-1",
                "customer": ["name": "Mr. Evans", "phone": "13800138001", "email": "evans@example.com"]
                    as [String: any Sendable],
                "remedies": ["repair", "compensation"],
            ]
            var complaint = try await server.createComplaint(english)
            complaint = try await server.perform(
                "check-completeness", on: complaint, as: Staff.agent, ["complete": true])
            complaint = try await server.perform("decide-validity", on: complaint, as: Staff.agent, ["valid": true])
            complaint = try await server.perform(
                "assign", on: complaint, as: Staff.supervisor,
                [
                    "category": "after_sales", "priority": "P2", "severity": "dissatisfied",
                    "department": "after_sales", "owner": Staff.agent, "handler": Staff.handler,
                ])
            complaint = try await server.perform(
                "submit-analysis", on: complaint, as: Staff.handler,
                ["problemType": "Transport", "rootCause": "hardware_fault", "findings": "Dropped in transit"])
            complaint = try await server.perform(
                "propose-solution", on: complaint, as: Staff.handler,
                ["types": ["repair", "replacement"], "description": "Replace the door"])

            let supervisor = WebBrowser(server)
            try await supervisor.signIn(Staff.supervisor)
            _ = try await supervisor.post("/language", [("language", "en"), ("next", "/queue")])
            let pages = [
                "/complaints/\(complaint.number)", "/queue?view=all", "/reports/daily?date=2026-04-08",
            ]
            for path in pages {
                let page = try await supervisor.get(path)
                #expect(page.status == .ok, "\(path)")
                #expect(Self.chineseMarks(in: page) == [], "\(path)")
            }
            let complaintPage = try await supervisor.get("/complaints/\(complaint.number)")
            #expect(complaintPage.contains("repair, replacement"))
            #expect(complaintPage.contains("repair, compensation"))

            let admin = WebBrowser(server)
            try await admin.signIn(Staff.admin)
            _ = try await admin.post("/language", [("language", "en"), ("next", "/admin/users")])
            let users = try await admin.get("/admin/users")
            #expect(users.status == .ok)
            #expect(Self.chineseMarks(in: users) == [])

            // The customer's own page in English.
            let customer = WebBrowser(server, acceptLanguage: "en")
            try await customer.get("/portal/track")
            let tracked = try await customer.post(
                "/portal/track", [("number", complaint.number), ("phone", "+86 138 0013 8001")])
            #expect(tracked.location == "/portal/complaint")
            let portal = try await customer.get("/portal/complaint")
            #expect(portal.contains(complaint.number))
            #expect(Self.chineseMarks(in: portal) == [])
        }
    }

    @Test("Action names are capitalised in English")
    func capitalised() {
        for action in ActionName.allCases {
            let first = action.label.en.first
            #expect(first?.isUppercase == true, "\(action.rawValue): \(action.label.en)")
        }
    }
}
