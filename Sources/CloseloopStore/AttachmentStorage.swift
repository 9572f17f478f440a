import Foundation

/// Where attachment bytes live; behind a protocol so object storage can be added beside the disk.
public protocol AttachmentStorage: Sendable {
    /// Stores the bytes under their SHA-256 and returns the hex digest; storing the same bytes twice keeps one copy.
    func store(_ bytes: Data) throws -> String
    func load(sha256: String) throws -> Data?
}

/// Content-addressed files under the data directory: `attachments/ab/abcdef…`.
public struct DiskAttachmentStorage: AttachmentStorage {
    public let root: URL

    public init(root: URL) { self.root = root }

    public func store(_ bytes: Data) throws -> String {
        let digest = Digest.sha256(bytes)
        let file = path(for: digest)
        if FileManager.default.fileExists(atPath: file.path) { return digest }
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        // Write to a temporary name and rename, so a crash never leaves a half-written file under the real name.
        let temporary = file.appendingPathExtension("partial-\(UUID().uuidString)")
        try bytes.write(to: temporary, options: .atomic)
        try? FileManager.default.moveItem(at: temporary, to: file)
        try? FileManager.default.removeItem(at: temporary)
        return digest
    }

    public func load(sha256: String) throws -> Data? {
        guard sha256.count == 64, sha256.allSatisfy(\.isHexDigit) else { return nil }
        let file = path(for: sha256)
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        return try Data(contentsOf: file)
    }

    private func path(for digest: String) -> URL {
        root.appendingPathComponent(String(digest.prefix(2))).appendingPathComponent(digest)
    }
}
