import CloseloopCore
import Foundation
import SQLKit

extension SQLStore {
    /// A stored configuration document (policy, calendar…), or nil when never saved.
    public func setting<Value: Decodable>(_ key: String, as type: Value.Type) async throws -> Value? {
        let text = try await database.read { db in
            try await db.select().column("value").from("settings").where("key", .equal, key).first()?
                .decode(column: "value", as: String.self)
        }
        return try text.map { try StoreCoding.decode(type, from: $0) }
    }

    /// Saves a configuration document, replacing the previous one.
    public func saveSetting(_ key: String, _ value: some Encodable & Sendable, at instant: Date) async throws {
        let text = try StoreCoding.encode(value)
        try await database.transaction { db in
            try await db.raw(
                """
                INSERT INTO settings (key, value, updated_at) VALUES (\(bind: key), \(bind: text), \(bind: Timestamp.milliseconds(instant)))
                ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                """
            ).run()
        }
    }

    /// Replaces the document under `key` only if it is still `expected` (nil: there is none yet); false when another
    /// writer changed it first. What lets several instances share a position (a watcher's checkpoint) and each claim
    /// a stretch of work once.
    public func replaceSetting<Value: Encodable & Sendable>(
        _ key: String, expected: Value?, with value: Value, at instant: Date
    ) async throws -> Bool {
        let text = try StoreCoding.encode(value)
        let previous = try expected.map { try StoreCoding.encode($0) }
        let millis = Timestamp.milliseconds(instant)
        return try await database.transaction { db in
            let statement: SQLQueryString =
                if let previous {
                    """
                    UPDATE settings SET value = \(bind: text), updated_at = \(bind: millis)
                    WHERE key = \(bind: key) AND value = \(bind: previous) RETURNING key
                    """
                } else {
                    """
                    INSERT INTO settings (key, value, updated_at) VALUES (\(bind: key), \(bind: text), \(bind: millis))
                    ON CONFLICT (key) DO NOTHING RETURNING key
                    """
                }
            return try await db.raw(statement).first() != nil
        }
    }

    /// The document stored under `key`, storing `initial` first when there is none; every instance that asks at once
    /// gets the one that was stored first (a secret made on first use stays one secret).
    public func settingOrInsert<Value: Codable & Sendable>(_ key: String, _ initial: Value, at instant: Date)
        async throws -> Value
    {
        if try await replaceSetting(key, expected: nil, with: initial, at: instant) { return initial }
        return try await setting(key, as: Value.self) ?? initial
    }

    public func departments() async throws -> [Department] {
        try await database.read { db in
            try await db.select().columns("id", "name_zh", "name_en").from("departments").orderBy("id").all().map {
                Department(
                    id: DepartmentID(try $0.decode(column: "id", as: String.self)),
                    name: LocalizedText(
                        zh: try $0.decode(column: "name_zh", as: String.self),
                        en: try $0.decode(column: "name_en", as: String.self)))
            }
        }
    }

    public func saveDepartment(_ department: Department) async throws {
        try await database.transaction { db in
            try await db.raw(
                """
                INSERT INTO departments (id, name_zh, name_en)
                VALUES (\(bind: department.id.rawValue), \(bind: department.name.zhHans), \(bind: department.name.en))
                ON CONFLICT (id) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en
                """
            ).run()
        }
    }

    // MARK: - Personal data

    /// Records that `user` saw the customer's unmasked contact details of a complaint.
    public func logPersonalDataView(of complaint: ComplaintID, by user: UserID, at instant: Date, purpose: String)
        async throws
    {
        try await database.transaction { db in
            try await db.insert(into: "personal_data_views")
                .columns("complaint_id", "user_id", "at", "purpose")
                .values(
                    SQLBind(complaint.rawValue), SQLBind(user.rawValue), SQLBind(Timestamp.milliseconds(instant)),
                    SQLBind(purpose)
                )
                .run()
        }
    }

    /// Who saw a complaint's unmasked contact details, oldest first.
    public func personalDataViews(of complaint: ComplaintID) async throws -> [(user: UserID, at: Date, purpose: String)]
    {
        try await database.read { db in
            try await db.select().columns("user_id", "at", "purpose").from("personal_data_views")
                .where("complaint_id", .equal, complaint.rawValue).orderBy("at").all().map {
                    (
                        user: UserID(try $0.decode(column: "user_id", as: String.self)),
                        at: Timestamp.date(try $0.decode(column: "at", as: Int64.self)),
                        purpose: try $0.decode(column: "purpose", as: String.self)
                    )
                }
        }
    }

    // MARK: - Attachments

    public func saveAttachment(_ attachment: AttachmentReference, at instant: Date) async throws {
        try await database.transaction { db in
            try await db.insert(into: "attachments")
                .columns("id", "sha256", "file_name", "content_type", "size", "created_at")
                .values(
                    SQLBind(attachment.id), SQLBind(attachment.sha256), SQLBind(attachment.fileName),
                    SQLBind(attachment.contentType), SQLBind(attachment.size), SQLBind(Timestamp.milliseconds(instant))
                )
                .run()
        }
    }

    public func attachment(id: String) async throws -> AttachmentReference? {
        try await database.read { db in
            try await db.select().columns("id", "sha256", "file_name", "content_type", "size").from("attachments")
                .where("id", .equal, id).first().map {
                    AttachmentReference(
                        id: try $0.decode(column: "id", as: String.self),
                        fileName: try $0.decode(column: "file_name", as: String.self),
                        contentType: try $0.decode(column: "content_type", as: String.self),
                        size: try $0.decode(column: "size", as: Int.self),
                        sha256: try $0.decode(column: "sha256", as: String.self))
                }
        }
    }
}
