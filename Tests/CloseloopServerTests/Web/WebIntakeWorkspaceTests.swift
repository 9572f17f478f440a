@_spi(Tools) import CloseloopApp
import CloseloopCore
import CloseloopServer
import CloseloopStore
import CloseloopTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The intake form as an agent works it through a day of calls: a category, the caller's earlier complaints as soon as
/// their phone is typed, the number in view after saving, and pictures as thumbnails.
@Suite("Web intake workspace")
struct WebIntakeWorkspaceTests {
    static let fields: [(String, String)] = [
        ("channel", "phone"), ("kind", "complaint"), ("customer.name", "周女士"), ("customer.phone", "13800138001"),
        ("subject", "洗衣机漏水"), ("description", "新买的洗衣机底部漏水。"), ("priority", "P2"),
        ("severity", "dissatisfied"), ("repeatChecked", "1"),
    ]
    static let photo = WebBrowser.Upload(
        field: "files", name: "漏水.jpg", type: "image/jpeg", bytes: [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 74, 70])

    @Test(
        "The caller's earlier complaints show for a phone in any format or an email", arguments: DatabaseKind.available)
    func customerHistory(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let earlier = try await server.createComplaint()
            let agent = WebBrowser(server)
            try await agent.signIn(Staff.agent)
            for phone in ["+86 138-0013-8001", "138 0013 8001", "13800138001"] {
                let encoded = phone.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                let found = try await agent.get("/intake/customer?phone=\(encoded)")
                #expect(found.status == .ok)
                #expect(found.contains("/complaints/\(earlier.number)"), "\(phone)")
                #expect(found.contains("新装空调不制冷"))
                // Only what identifies the complaint: not the customer's name or contact details.
                #expect(!found.contains("周女士") && !found.contains("zhou@example.com"))
            }
            #expect(try await agent.get("/intake/customer?email=ZHOU%40example.com").contains(earlier.number))
            #expect(!(try await agent.get("/intake/customer?phone=1380").contains(earlier.number)))
            #expect(!(try await agent.get("/intake/customer?phone=13900139000").contains(earlier.number)))
            let handler = WebBrowser(server)
            try await handler.signIn(Staff.handler)
            #expect(try await handler.get("/intake/customer?phone=13800138001").status == .forbidden)
        }
    }

    @Test("A category chosen at intake is where the classification starts; an unknown one is refused")
    func category() async throws {
        try await withServer(.sqlite) { server in
            let agent = WebBrowser(server)
            try await agent.signIn(Staff.agent)
            let form = try await agent.get("/intake")
            #expect(form.contains("<option value=\"delivery.damage\""))
            let key = try #require(form.inputValue("submissionKey"))
            let refused = try await agent.post(
                "/intake", Self.fields + [("submissionKey", key), ("category", "no-such-category")])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.contains("没有类别 no-such-category"))

            let saved = try await agent.post(
                "/intake", Self.fields + [("submissionKey", key), ("category", "quality.defect")], files: [Self.photo])
            #expect(saved.status == .seeOther)
            let number = String(try #require(saved.location?.split(separator: "/").last))
            #expect(saved.location == "/intake/saved/\(number)")
            let record = try #require(try await server.services.store.record(number: number))
            #expect(record.complaint.intake.defaultCategory == "quality.defect")

            // The form is back, empty, with the number in view and a link to the complaint.
            let next = try await agent.follow(saved)
            #expect(next.contains("已登记投诉 <a href=\"/complaints/\(number)\" data-saved-number>\(number)</a>"))
            #expect(next.inputValue("subject") == "")
            #expect(try await agent.get("/intake/saved/999999999").status == .notFound)

            // The image is a thumbnail on the complaint page, from the download's own address and checks.
            let page = try await agent.get("/complaints/\(number)")
            let attachment = try #require(record.complaint.intake.attachments.first)
            let link = "/complaints/\(number)/attachments/\(attachment.id)"
            #expect(page.contains("<img class=\"thumb\" src=\"\(link)\""))
            let image = try await agent.get(link)
            #expect(image.status == .ok && image.headers[.contentType] == "image/jpeg")
            let signedOut = WebBrowser(server)
            #expect(try await signedOut.get(link).status != .ok)
        }
    }

    @Test("The API takes the same category under the same rule")
    func apiCategory() async throws {
        try await withServer(.sqlite) { server in
            let created = try await server.send(
                .post, "/complaints", as: Staff.agent, json: TestServer.complaintFields(["category": "delivery"]))
            #expect(created.status == .created)
            let body = try JSONSerialization.jsonObject(with: Data(created.text.utf8)) as? [String: Any]
            #expect(body?["intakeCategory"] as? String == "delivery")
            let refused = try await server.send(
                .post, "/complaints", as: Staff.agent, json: TestServer.complaintFields(["category": "nothing"]))
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("unknown_category"))
        }
    }
}
