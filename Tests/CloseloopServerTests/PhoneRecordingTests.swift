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

/// A phone complaint keeps the call's recording beside its transcript (issue 13, item 3): through the API and the
/// agent's intake form, an audio file only, played on the complaint page.
@Suite("Call recordings")
struct PhoneRecordingTests {
    /// The first bytes of a WAV file.
    static let wav: [UInt8] =
        Array("RIFF".utf8) + [36, 0, 0, 0] + Array("WAVEfmt ".utf8) + Array(repeating: 0, count: 24)

    struct Uploaded: Decodable { var id: String; var contentType: String }

    @Test("The API keeps an audio recording with the transcript and refuses anything else as the recording")
    func api() async throws {
        try await withServer(.sqlite) { server in
            let audio = try await server.send(
                .post, "/attachments?fileName=call-0412.wav", as: Staff.agent, body: ByteBuffer(bytes: Self.wav),
                contentType: "application/octet-stream"
            ).expect(.created, Uploaded.self)
            #expect(audio.contentType == "audio/wav")
            let complaint = try await server.createComplaint([
                "recordingId": audio.id, "transcript": "客户：空调不制冷。坐席：好的，我帮您登记。",
            ])
            #expect(complaint.recording?.id == audio.id && complaint.recording?.fileName == "call-0412.wav")

            let photo = try await server.send(
                .post, "/attachments?fileName=photo.jpg", as: Staff.agent,
                body: ByteBuffer(bytes: [0xFF, 0xD8, 0xFF, 0xE0, 1, 2]), contentType: "application/octet-stream"
            ).expect(.created, Uploaded.self)
            let refused = try await server.send(
                .post, "/complaints", as: Staff.agent, json: TestServer.complaintFields(["recordingId": photo.id])
            ).problem(.unprocessableContent)
            #expect(refused.errors?.map(\.field) == ["recording"])
            let unknown = try await server.send(
                .post, "/complaints", as: Staff.agent, json: TestServer.complaintFields(["recordingId": "nope"])
            ).problem(.unprocessableContent)
            #expect(unknown.errors?.first?.code == "unknown_attachment")
        }
    }

    @Test("The agent attaches the recording on the intake form; the complaint page plays it")
    func form() async throws {
        try await withServer(.sqlite) { server in
            let agent = WebBrowser(server)
            try await agent.signIn(Staff.agent)
            let form = try await agent.get("/intake")
            #expect(form.contains("通话录音"))
            let key = try #require(form.inputValue("submissionKey"))
            let saved = try await agent.post(
                "/intake",
                [
                    ("channel", "phone"), ("customer.name", "周女士"), ("customer.phone", "13800138001"),
                    ("subject", "空调不制冷"), ("description", "电话反映新装空调不制冷"), ("transcript", "客户：空调不制冷。"),
                    ("submissionKey", key), ("repeatChecked", "1"),
                ],
                files: [.init(field: "recording", name: "来电录音.wav", type: "audio/wav", bytes: Self.wav)])
            #expect(saved.status == .seeOther, "\(saved.html.prefix(500))")
            let number = try #require(saved.location?.split(separator: "/").last?.split(separator: "?").first)
            // The form comes back for the next caller, the number in its banner linking to the complaint.
            #expect(try await agent.follow(saved).contains("href=\"/complaints/\(number)\""))
            let page = try await agent.get("/complaints/\(number)")
            #expect(page.contains("<audio controls"))
            #expect(page.contains("来电录音.wav"))
            let record = try #require(try await server.services.store.record(number: String(number)))
            let recording = try #require(record.complaint.intake.recording)
            let played = try await agent.get("/complaints/\(number)/attachments/\(recording.id)")
            #expect(played.status == .ok && played.headers[.contentType] == "audio/wav")
        }
    }
}
