import CloseloopCore
import CloseloopStore
import CloseloopTestSupport
import Crypto
import Foundation
import Testing

/// Configuration documents, departments and attachments.
@Suite("Settings, departments and attachments")
struct SettingsTests {
    typealias F = StoreFixtures

    @Test("the service policy and the business calendar round-trip", arguments: DatabaseKind.available)
    func settingsRoundTrip(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            #expect(try await store.setting("policy", as: ServicePolicy.self) == nil)
            try await store.saveSetting("policy", ServicePolicy.standard, at: F.mondayMorning)
            try await store.saveSetting("calendar", BusinessCalendar.chinaMainland, at: F.mondayMorning)
            #expect(try await store.setting("policy", as: ServicePolicy.self) == .standard)
            #expect(try await store.setting("calendar", as: BusinessCalendar.self) == .chinaMainland)

            // Saving again replaces the document.
            var stricter = ServicePolicy.standard
            stricter.reopenWindowDays = 7
            try await store.saveSetting("policy", stricter, at: F.mondayMorning.addingTimeInterval(60))
            #expect(try await store.setting("policy", as: ServicePolicy.self) == stricter)
            #expect(try await store.setting("calendar", as: BusinessCalendar.self) == .chinaMainland)
            #expect(try await store.count("settings") == 2)
        }
    }

    @Test(
        "of eight writers replacing one position at once from what they read, exactly one wins, first and after",
        arguments: DatabaseKind.available)
    func replaceIfUnchanged(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            for expected in [nil, Int64(100)] {
                let won = try await withThrowingTaskGroup(of: Bool.self) { group in
                    for writer in 0..<8 {
                        group.addTask {
                            try await store.replaceSetting(
                                "checkpoint", expected: expected, with: Int64(200 + writer), at: F.mondayMorning)
                        }
                    }
                    return try await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
                }
                #expect(won == 1, "from \(String(describing: expected))")
                let stored = try #require(try await store.setting("checkpoint", as: Int64.self))
                #expect((200..<208).contains(stored))
                try await store.saveSetting("checkpoint", Int64(100), at: F.mondayMorning)
            }
            #expect(
                !(try await store.replaceSetting("checkpoint", expected: Int64(99), with: 300, at: F.mondayMorning)))
            #expect(try await store.setting("checkpoint", as: Int64.self) == 100)
        }
    }

    @Test("departments are inserted and updated by id", arguments: DatabaseKind.available)
    func departmentsUpsert(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            #expect(try await store.departments() == [])
            let logistics = Department(id: F.logistics, name: LocalizedText(zh: "物流部", en: "Logistics"))
            let afterSales = Department(id: F.afterSales, name: LocalizedText(zh: "售后部", en: "After sales"))
            try await store.saveDepartment(logistics)
            try await store.saveDepartment(afterSales)
            #expect(try await store.departments() == [afterSales, logistics])

            let renamed = Department(id: F.logistics, name: LocalizedText(zh: "物流与仓储部", en: "Logistics & warehousing"))
            try await store.saveDepartment(renamed)
            #expect(try await store.departments() == [afterSales, renamed])
        }
    }

    @Test("attachment metadata round-trips", arguments: DatabaseKind.available)
    func attachmentMetadata(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            let reference = AttachmentReference(
                id: "att-1", fileName: "漏水照片.jpg", contentType: "image/jpeg", size: 123_456,
                sha256: String(repeating: "ab", count: 32))
            try await store.saveAttachment(reference, at: F.mondayMorning)
            #expect(try await store.attachment(id: "att-1") == reference)
            #expect(try await store.attachment(id: "att-2") == nil)
        }
    }

    @Test("disk storage is content-addressed and keeps one copy of the same bytes")
    func diskAttachmentStorage() throws {
        let root = FileManager.default.temporaryDirectory
            .appendingPathComponent("closeloop-attachments-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let storage = DiskAttachmentStorage(root: root)

        let photo = Data("空调漏水的照片".utf8)
        let digest = try storage.store(photo)
        #expect(digest == SHA256.hash(data: photo).map { String(format: "%02x", $0) }.joined())
        #expect(try storage.store(photo) == digest)
        #expect(try storage.load(sha256: digest) == photo)
        #expect(
            FileManager.default.fileExists(atPath: root.appendingPathComponent("\(digest.prefix(2))/\(digest)").path))
        #expect(try files(under: root).count == 1)

        let receipt = Data("退款凭证".utf8)
        let other = try storage.store(receipt)
        #expect(other != digest)
        #expect(try storage.load(sha256: other) == receipt)
        #expect(try files(under: root).count == 2)

        #expect(try storage.load(sha256: String(repeating: "0", count: 64)) == nil)
        #expect(try storage.load(sha256: "../../etc/passwd") == nil)
        #expect(try storage.load(sha256: "abc") == nil)
    }

    @Test("the well-known digest of \"hello\" names its file")
    func knownDigest() throws {
        let root = FileManager.default.temporaryDirectory
            .appendingPathComponent("closeloop-attachments-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let digest = try DiskAttachmentStorage(root: root).store(Data("hello".utf8))
        #expect(digest == "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
        #expect(try files(under: root).map(\.lastPathComponent) == [digest])
    }

    /// Every regular file below `root`, leftovers of interrupted writes included.
    private func files(under root: URL) throws -> [URL] {
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
        var found: [URL] = []
        while let url = enumerator?.nextObject() as? URL {
            if try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true { found.append(url) }
        }
        return found
    }
}
