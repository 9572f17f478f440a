@_spi(Tools) import CloseloopApp
import CloseloopCore
import CloseloopServer
import CloseloopStore
import CloseloopTestSupport
import Foundation
import HTTPTypes
import Testing

/// The customer portal: submit with photos, track by number and phone, answer a proposal, confirm and rate.
@Suite("Web customer portal")
struct WebPortalTests {
    static let photo = WebBrowser.Upload(
        field: "photos", name: "破损.jpg", type: "image/jpeg", bytes: [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 74, 70])

    static let submission: [(String, String)] = [
        ("customer.name", "周女士"), ("customer.phone", "138 0013 8001"), ("subject", "冰箱门有裂缝"),
        ("description", "今天送到的冰箱，门上有一条明显的裂缝。"), ("remedies", "replacement"),
    ]

    /// Submits through the portal and returns the complaint's number.
    private func submit(_ customer: WebBrowser) async throws -> String {
        let form = try await customer.get("/portal/submit")
        let key = try #require(form.inputValue("submissionKey"))
        let answer = try await customer.post(
            "/portal/submit", Self.submission + [("submissionKey", key)], files: [Self.photo])
        #expect(answer.status == .seeOther)
        let page = try await customer.follow(answer)
        return try #require(Self.number(in: page))
    }

    static func number(in page: WebBrowser.Page) -> String? {
        guard let start = page.html.range(of: "data-number>"),
            let end = page.html[start.upperBound...].range(of: "<")
        else { return nil }
        return String(page.html[start.upperBound..<end.lowerBound])
    }

    @Test(
        "A customer submits with a photo, gets a number and sees progress in plain words",
        arguments: DatabaseKind.available)
    func submitAndTrack(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let customer = WebBrowser(server)
            let number = try await submit(customer)
            let record = try #require(try await server.services.store.record(number: number))
            #expect(record.complaint.intake.channel == .web)
            #expect(record.complaint.intake.attachments.map(\.fileName) == ["破损.jpg"])
            #expect(record.complaint.intake.attachments.first?.contentType == "image/jpeg")
            let page = try await customer.get("/portal/complaint")
            #expect(page.contains(number))
            #expect(page.contains("冰箱门有裂缝"))
            #expect(page.contains("width=device-width"))

            // Another browser tracks it with the number and the phone in another format.
            let later = WebBrowser(server)
            try await later.get("/portal/track")
            let tracked = try await later.post("/portal/track", [("number", number), ("phone", "+86 13800138001")])
            #expect(tracked.location == "/portal/complaint")
            #expect(try await later.get("/portal/complaint").contains(number))
        }
    }

    @Test("The link in a mailed acknowledgement opens the complaint; a forged one opens nothing")
    func linkFromMail() async throws {
        try await withServer(.sqlite) { server in
            let message = try await server.services.mail.receive(MailCorpus.foxmail(), source: "pipe")
            let id = try #require(message.complaintID)
            let number = try #require(try await server.services.complaints.record(id: id)).complaint.number
            let path = try await server.services.links.path(for: id)
            let customer = WebBrowser(server)
            let opened = try await customer.get(path)
            #expect(opened.location == "/portal/complaint")
            let page = try await customer.get("/portal/complaint")
            #expect(page.contains(number) && page.contains("冰箱不制冷"))

            let stranger = WebBrowser(server)
            let forged = try await stranger.get(String(path.dropLast(4)) + "0000")
            #expect(forged.status == .notFound)
            #expect(forged.contains("链接无效"))
            let other = try await stranger.get("/portal/open/\(id.rawValue)x/" + path.split(separator: "/").last!)
            #expect(other.status == .notFound)
            let refused = try await stranger.get("/portal/complaint")
            #expect(!refused.contains(number))
        }
    }

    @Test("Sending the same form twice records one complaint")
    func doubleSubmit() async throws {
        try await withServer(.sqlite) { server in
            let customer = WebBrowser(server)
            let form = try await customer.get("/portal/submit")
            let key = try #require(form.inputValue("submissionKey"))
            let first = try await customer.post("/portal/submit", Self.submission + [("submissionKey", key)])
            let second = try await customer.post("/portal/submit", Self.submission + [("submissionKey", key)])
            #expect(first.status == .seeOther)
            #expect(second.status == .seeOther)
            #expect(try await server.complaintCount() == 1)
        }
    }

    @Test("A form with problems comes back with every problem and everything typed")
    func invalidSubmission() async throws {
        try await withServer(.sqlite) { server in
            let customer = WebBrowser(server, acceptLanguage: "en")
            try await customer.get("/portal/submit")
            let page = try await customer.post(
                "/portal/submit",
                [("customer.name", "Mr. Evans"), ("customer.phone", ""), ("subject", ""), ("description", "It broke.")])
            #expect(page.status == .unprocessableContent)
            #expect(page.contains("Please correct the problems"))
            #expect(page.contains("Enter a phone number"))
            #expect(page.inputValue("customer.name") == "Mr. Evans")
            #expect(page.textarea("description") == "It broke.")
            #expect(try await server.complaintCount() == 0)
        }
    }

    @Test("A wrong phone and an unknown number get the same answer, and guessing is limited")
    func trackingDoesNotLeak() async throws {
        try await withServer(.sqlite) { server in
            let created = try await server.createComplaint()
            let guesser = WebBrowser(server)
            try await guesser.get("/portal/track")
            let wrongPhone = try await guesser.post(
                "/portal/track", [("number", created.number), ("phone", "13900000000")])
            let unknown = try await guesser.post("/portal/track", [("number", "999999999"), ("phone", "13800138001")])
            #expect(wrongPhone.status == .notFound)
            #expect(unknown.status == .notFound)
            #expect(wrongPhone.contains("单号或电话不正确"))
            for _ in 0..<9 {
                _ = try await guesser.post("/portal/track", [("number", created.number), ("phone", "13900000000")])
            }
            let blocked = try await guesser.post(
                "/portal/track", [("number", created.number), ("phone", "13800138001")])
            #expect(blocked.status == .tooManyRequests)
        }
    }

    @Test(
        "The customer rejects a proposal with their words, then accepts the next and rates the result",
        arguments: DatabaseKind.available)
    func answerAndConfirm(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let customer = WebBrowser(server)
            let number = try await submit(customer)
            var complaint = try await server.advancing(
                try await server.complaint(number, as: Staff.agent), to: "investigating",
                assignment: ["category": "delivery", "priority": "P1"])
            complaint = try await server.perform(
                "submit-analysis", on: complaint, as: Staff.handler,
                ["problemType": "运输破损", "rootCause": "logistics", "findings": "搬运时门体受撞击"])
            complaint = try await server.perform(
                "propose-solution", on: complaint, as: Staff.handler,
                ["types": ["repair"], "description": "上门更换门封条"])

            var page = try await customer.get("/portal/complaint")
            #expect(page.contains("上门更换门封条"))
            #expect(page.contains("decision-reject"))
            #expect(!page.contains("王芳"), "staff names stay internal")
            let silent = try await customer.post("/portal/complaint/respond", [("comment", "")])
            #expect(silent.status == .unprocessableContent)
            #expect(silent.contains("请先选择您的答复"))
            let rejected = try await customer.post(
                "/portal/complaint/respond", [("decision", "reject"), ("comment", "我要换一台新的")])
            #expect(rejected.status == .seeOther)
            complaint = try await server.complaint(number, as: Staff.agent)
            #expect(complaint.state == "investigating")
            let history = try await server.services.store.history(of: ComplaintID(complaint.id))
            #expect(
                history.contains { event in
                    if case .customerResponded(let decision) = event.change { return decision.comment == "我要换一台新的" }
                    return false
                })

            complaint = try await server.perform(
                "propose-solution", on: complaint, as: Staff.handler,
                ["types": ["replacement"], "description": "为您更换一台新冰箱"])
            page = try await customer.get("/portal/complaint")
            #expect(page.contains("为您更换一台新冰箱"))
            #expect(
                try await customer.post("/portal/complaint/respond", [("decision", "accept"), ("comment", "")]).status
                    == .seeOther)
            complaint = try await server.complaint(number, as: Staff.agent)
            complaint = try await server.perform(
                "record-progress", on: complaint, as: Staff.handler, ["note": "已送达新机", "workFinished": true])
            complaint = try await server.perform(
                "return-result", on: complaint, as: Staff.handler, ["summary": "新冰箱已送达并安装"])

            page = try await customer.get("/portal/complaint")
            #expect(page.contains("score-5"))
            let confirmed = try await customer.post(
                "/portal/complaint/confirm",
                [("solved", "yes"), ("satisfied", "yes"), ("score", "5"), ("comment", "谢谢")])
            #expect(confirmed.status == .seeOther)
            let after = try await customer.follow(confirmed)
            #expect(after.contains("感谢您的确认和评价"))
            let record = try #require(try await server.services.store.record(number: number))
            #expect(record.complaint.satisfaction == 5)
            #expect(record.complaint.state == .returnVisit)
        }
    }

    @Test("A customer's portal session opens no staff page and no other complaint")
    func customerSessionIsNarrow() async throws {
        try await withServer(.sqlite) { server in
            let other = try await server.createComplaint(["subject": "另一位客户的投诉"])
            let customer = WebBrowser(server)
            _ = try await submit(customer)
            let staffPage = try await customer.get("/complaints/\(other.number)")
            #expect(staffPage.status == .seeOther)
            #expect(staffPage.location?.hasPrefix("/login") == true)
            #expect(try await customer.get("/queue").status == .seeOther)
            #expect(!(try await customer.get("/portal/complaint").contains("另一位客户的投诉")))
        }
    }
}

@Suite("Web upload limits")
struct WebUploadLimitTests {
    @Test("Photos over the upload limit get a page saying so, and nothing is recorded")
    func tooLarge() async throws {
        var limits = AppServices.Limits()
        limits.upload = 64 * 1024
        try await withServer(.sqlite, limits: limits) { server in
            let customer = WebBrowser(server)
            try await customer.get("/portal/submit")
            let huge = WebBrowser.Upload(
                field: "photos", name: "big.jpg", type: "image/jpeg", bytes: [UInt8](repeating: 0xFF, count: 100_000))
            let page = try await customer.post("/portal/submit", WebPortalTests.submission, files: [huge])
            #expect(page.status == .contentTooLarge)
            #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(page.contains("文件太大"))
            #expect(try await server.complaintCount() == 0)
        }
    }
}
