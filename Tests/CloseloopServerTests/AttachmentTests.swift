import CloseloopTestSupport
import Crypto
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Uploading evidence, referring to it from a complaint and getting the same bytes back.
@Suite("Attachments")
struct AttachmentTests {
    /// Every byte value, so nothing is lost to text decoding on the way.
    static let photo: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0] + (0...255).map(UInt8.init) + Array("照片".utf8) + [0x00, 0x0A]

    @Test("Upload, attach to a new complaint, download the same bytes", arguments: DatabaseKind.available)
    func roundTrip(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let fileName = "现场照片.jpg"
            let encodedName = fileName.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let uploaded = try await server.send(
                .post, "/attachments?fileName=\(encodedName)", as: Staff.agent, body: ByteBuffer(bytes: Self.photo),
                contentType: "application/octet-stream"
            ).expect(.created, AttachmentBody.self)
            #expect(uploaded.fileName == fileName)
            #expect(uploaded.size == Self.photo.count)
            #expect(uploaded.contentType == "image/jpeg")
            #expect(uploaded.sha256 == SHA256.hash(data: Self.photo).map { String(format: "%02x", $0) }.joined())

            let complaint = try await server.createComplaint(["attachmentIds": [uploaded.id]])
            #expect(complaint.attachments.map(\.id) == [uploaded.id])
            #expect(complaint.attachments.first?.sha256 == uploaded.sha256)

            let download = try await server.send(.get, "/attachments/\(uploaded.id)", as: Staff.handler)
            #expect(download.status == .ok)
            #expect(download.bytes == Self.photo)

            // An explicit content type is kept.
            let document = try await server.send(
                .post, "/attachments?fileName=report.bin&contentType=application%2Fpdf", as: Staff.agent,
                body: ByteBuffer(string: "not really a pdf"), contentType: "application/octet-stream"
            ).expect(.created, AttachmentBody.self)
            #expect(document.contentType == "application/pdf")
        }
    }

    @Test(
        "An unknown attachment id in a new complaint is 422 and nothing is written", arguments: DatabaseKind.available)
    func unknownAttachment(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let uploaded = try await server.send(
                .post, "/attachments?fileName=a.jpg", as: Staff.agent, body: ByteBuffer(bytes: Self.photo),
                contentType: "application/octet-stream"
            ).expect(.created, AttachmentBody.self)
            let problem = try await server.send(
                .post, "/complaints", as: Staff.agent,
                json: TestServer.complaintFields(["attachmentIds": [uploaded.id, "no-such-attachment", "ghost"]])
            ).problem(.unprocessableContent)
            #expect(problem.code == "validation.failed")
            #expect(problem.errors?.map(\.field) == ["attachmentIds", "attachmentIds"])
            #expect(problem.errors?.allSatisfy { $0.code == "unknown_attachment" } == true)
            #expect(try await server.complaintCount() == 0)

            let missing = try await server.send(.get, "/attachments/no-such-attachment", as: Staff.agent)
            #expect(try missing.problem(.notFound).code == "attachment.not_found")
        }
    }

    @Test("Uploads need a staff token, a plain file name and some bytes", arguments: DatabaseKind.available)
    func badUploads(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let bytes = ByteBuffer(bytes: Self.photo)
            let anonymous = try await server.send(
                .post, "/attachments?fileName=a.jpg", body: bytes, contentType: "application/octet-stream")
            #expect(try anonymous.problem(.unauthorized).code == "auth.required")

            let traversal = try await server.send(
                .post, "/attachments?fileName=..%2F..%2Fetc%2Fpasswd", as: Staff.agent, body: bytes,
                contentType: "application/octet-stream")
            #expect(try traversal.problem(.unprocessableContent).fields == ["fileName"])

            let empty = try await server.send(
                .post, "/attachments?fileName=a.jpg", as: Staff.agent, body: ByteBuffer(),
                contentType: "application/octet-stream")
            #expect(try empty.problem(.unprocessableContent).fields == ["body"])

            let noName = try await server.send(
                .post, "/attachments", as: Staff.agent, body: bytes, contentType: "application/octet-stream")
            #expect(noName.status == .badRequest)

            let download = try await server.send(.get, "/attachments/anything")
            #expect(try download.problem(.unauthorized).code == "auth.required")
        }
    }
}
