import CloseloopCore
import CloseloopStore
import Foundation

/// Stores uploaded files (bytes on disk, content-addressed; metadata in the database).
public struct AttachmentService: Sendable {
    let store: SQLStore
    let storage: any AttachmentStorage
    let time: any TimeSource

    public func store(_ bytes: Data, fileName: String, contentType: String?) async throws -> AttachmentReference {
        let name = fileName.trimmingCharacters(in: .whitespacesAndNewlines)
        var issues: [FieldIssue] = []
        // A name is shown and offered for download as it is: one line, no path, not a directory's name.
        if name.isEmpty || name.count > 200 || name.contains("/") || name.contains("\\") || name == "." || name == ".."
            || name.unicodeScalars.contains(where: { TextRules.isForbidden($0, shape: .singleLine) })
        {
            issues.append(
                FieldIssue(
                    field: "fileName", code: "invalid",
                    message: LocalizedText(zh: "文件名无效", en: "must be a plain file name of at most 200 characters")))
        }
        if bytes.isEmpty {
            issues.append(
                FieldIssue(field: "body", code: "empty", message: LocalizedText(zh: "文件为空", en: "the file is empty")))
        }
        guard issues.isEmpty else { throw DomainError.validation(issues) }
        let digest = try storage.store(bytes)
        let reference = AttachmentReference(
            id: UUID().uuidString.lowercased(), fileName: name,
            contentType: contentType?.isEmpty == false ? contentType! : Self.sniff(bytes, name: name),
            size: bytes.count, sha256: digest)
        try await store.saveAttachment(reference, at: time.instant())
        return reference
    }

    /// An attachment's description by id (a file kept from an earlier try of a form), or nil.
    public func reference(id: String) async throws -> AttachmentReference? { try await store.attachment(id: id) }

    public func load(id: String) async throws -> (AttachmentReference, Data)? {
        guard let reference = try await store.attachment(id: id), let bytes = try storage.load(sha256: reference.sha256)
        else { return nil }
        return (reference, bytes)
    }

    /// A content type from the first bytes or the extension, for clients that do not say.
    static func sniff(_ bytes: Data, name: String) -> String {
        let head = [UInt8](bytes.prefix(8))
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return "image/png" }
        if head.starts(with: Array("%PDF".utf8)) { return "application/pdf" }
        if head.starts(with: Array("GIF8".utf8)) { return "image/gif" }
        // Call recordings: MP3 with a tag, WAV, and the AMR of phone systems.
        if head.starts(with: Array("ID3".utf8)) { return "audio/mpeg" }
        if head.starts(with: Array("RIFF".utf8)), bytes.count > 12, Array(bytes[8..<12]) == Array("WAVE".utf8) {
            return "audio/wav"
        }
        if head.starts(with: Array("#!AMR".utf8)) { return "audio/amr" }
        let lower = name.lowercased()
        if lower.hasSuffix(".mp4") { return "video/mp4" }
        if lower.hasSuffix(".mp3") { return "audio/mpeg" }
        if lower.hasSuffix(".wav") { return "audio/wav" }
        if lower.hasSuffix(".m4a") { return "audio/mp4" }
        if lower.hasSuffix(".amr") { return "audio/amr" }
        if lower.hasSuffix(".txt") { return "text/plain" }
        return "application/octet-stream"
    }
}
