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

/// What the customer sees of their complaint besides its steps: when we will be in touch, the photos they sent, and
/// before they rate, what was done with its photos.
@Suite("Web portal: promise, own files and the result")
struct WebPortalResultTests {
    static let photo = WebBrowser.Upload(
        field: "photos", name: "破损.jpg", type: "image/jpeg", bytes: [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 74, 70])

    @Test("After submitting, the promise names the first-contact deadline; the customer's photo shows only to them")
    func promiseAndUploads() async throws {
        try await withServer(.sqlite) { server in
            let customer = WebBrowser(server)
            let form = try await customer.get("/portal/submit")
            let key = try #require(form.inputValue("submissionKey"))
            let submitted = try await customer.post(
                "/portal/submit", WebPortalTests.submission + [("submissionKey", key)], files: [Self.photo])
            let page = try await customer.follow(submitted)
            let number = try #require(WebPortalTests.number(in: page))
            let record = try #require(try await server.services.store.record(number: number))
            let due = try #require(record.clocks.first { $0.clock == .firstContact }?.dueAt)
            let calendar = await server.services.settings.current().calendar
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = calendar.timeZone
            formatter.dateFormat = "M月d日 HH:mm"
            #expect(page.contains("我们将在 \(formatter.string(from: due)) 前联系您"))
            #expect(!page.contains("尽快"))

            let photo = try #require(record.complaint.intake.attachments.first)
            let link = "/portal/complaint/attachments/\(photo.id)"
            #expect(page.contains("<img src=\"\(link)\""))
            let image = try await customer.get(link)
            #expect(image.status == .ok && image.headers[.contentType] == "image/jpeg")
            #expect(image.bytes == Self.photo.bytes)

            // Another customer's session, or none, does not reach it.
            let other = try await server.createComplaint(["customer": ["name": "吴先生", "phone": "13900139002"]])
            let stranger = WebBrowser(server)
            try await stranger.get("/portal/track")
            _ = try await stranger.post("/portal/track", [("number", other.number), ("phone", "13900139002")])
            #expect(try await stranger.get(link).status == .notFound)
            #expect(try await WebBrowser(server).get(link).status != .ok)
        }
    }

    @Test("The confirm step shows what was done and its photos, staff names left out, before asking for a rating")
    func resultBeforeRating() async throws {
        try await withServer(.sqlite) { server in
            let uploaded = try await server.send(
                .post, "/attachments?fileName=after.jpg", as: Staff.handler, body: ByteBuffer(bytes: Self.photo.bytes),
                contentType: "application/octet-stream"
            ).expect(.created, AttachmentBody.self)
            var complaint = try await server.reaching("executing")
            complaint = try await server.perform(
                "record-progress", on: complaint, as: Staff.handler,
                ["note": "已更换门封", "workFinished": true, "evidenceIds": [uploaded.id]])
            complaint = try await server.perform(
                "return-result", on: complaint, as: Staff.handler, ["summary": "王芳上门更换了门封，试机无漏水。"])
            #expect(complaint.state == "verifying")

            let customer = WebBrowser(server)
            try await customer.get("/portal/track")
            _ = try await customer.post("/portal/track", [("number", complaint.number), ("phone", "13800138001")])
            let page = try await customer.get("/portal/complaint")
            #expect(page.contains("处理结果"))
            #expect(page.contains("工作人员上门更换了门封，试机无漏水。"))
            #expect(!page.contains("王芳"))
            let link = "/portal/complaint/attachments/\(uploaded.id)"
            #expect(page.contains("<img src=\"\(link)\""))
            let result = try #require(page.html.range(of: "data-result"))
            let confirm = try #require(page.html.range(of: "confirm-heading"))
            #expect(result.lowerBound < confirm.lowerBound, "the result is read before the rating is asked")
            #expect(try await customer.get(link).status == .ok)
        }
    }
}
