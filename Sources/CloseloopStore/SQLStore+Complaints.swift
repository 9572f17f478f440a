import CloseloopCore
import Foundation
import SQLKit

extension SQLStore: ComplaintStore {
    public func create(
        year: Int, idempotencyKey: String?, fingerprint: String,
        number: @escaping @Sendable (Int) -> String,
        make: @escaping @Sendable (String) throws -> (ComplaintRecord, ComplaintEvent),
        effects: @escaping @Sendable (ComplaintRecord) throws -> ComplaintEffects = { _ in .none }
    ) async throws -> (record: ComplaintRecord, replayed: Bool) {
        if let idempotencyKey, let earlier = try await replay(idempotencyKey, fingerprint: fingerprint) {
            return (earlier, true)
        }
        let draft = try NewComplaintDraft(make: make)
        let actors = try await actors.stored([draft.event.actor], in: database)
        do {
            let record = try await SequenceAllocation.numbering(year: year, in: database) { sequence, db in
                let (record, event, document, body) = draft.numbered(number(sequence))
                try await Self.insertRow(
                    record, document: document, columns: draft.columns, year: year, sequence: sequence, on: db)
                try await Self.markChanged(receivedAt: record.complaint.receivedAt, on: db)
                try await Self.insertEvents(
                    [(event, body)], of: record, key: HistoryKey(year: year, sequence: sequence),
                    previousHash: HistoryChain.genesis, actors: actors, on: db)
                try await Self.write(try effects(record), for: record.complaint.id, on: db)
                if let idempotencyKey {
                    let row = RowInsert(
                        table: "idempotency_keys",
                        values: [
                            ("key", SQLBind(idempotencyKey)), ("fingerprint", SQLBind(fingerprint)),
                            ("complaint_id", SQLBind(record.complaint.id.rawValue)),
                            ("created_at", SQLBind(Timestamp.milliseconds(event.at))),
                        ])
                    try await db.execute(sql: row) { _ in }
                }
                return record
            }
            return (record, false)
        } catch {
            // A concurrent request with the same key may have won the race; answer with its result.
            if let idempotencyKey, let earlier = try await replay(idempotencyKey, fingerprint: fingerprint) {
                return (earlier, true)
            }
            throw error
        }
    }

    private func replay(_ key: String, fingerprint: String) async throws -> ComplaintRecord? {
        let row = try await database.lookup { db in
            try await db.raw("SELECT fingerprint, complaint_id FROM idempotency_keys WHERE key = \(bind: key)").first()
        }
        guard let row else { return nil }
        guard try row.decode(column: "fingerprint", as: String.self) == fingerprint else {
            throw StoreError.idempotencyKeyReused
        }
        return try await record(id: ComplaintID(try row.decode(column: "complaint_id", as: String.self)))
    }

    public func record(id: ComplaintID) async throws -> ComplaintRecord? {
        try await fetchRecord(column: "id", value: id.rawValue)
    }

    public func record(number: String) async throws -> ComplaintRecord? {
        try await fetchRecord(column: "number", value: number)
    }

    private func fetchRecord(column: String, value: String) async throws -> ComplaintRecord? {
        let row = try await database.lookup { db in
            try await db.select().columns(StoredDocument.columns).from("complaints")
                .where(SQLIdentifier(column), .equal, SQLBind(value))
                .first().map(StoredDocument.init)
        }
        return try row.map(decoded.record)
    }

    public func history(of id: ComplaintID) async throws -> [ComplaintEvent] {
        let bodies = try await database.lookup { db in
            try await db.raw(
                """
                SELECT \(unsafeRaw: HistoryRow.selected(["body"])) FROM complaint_events AS e
                JOIN complaints AS c ON \(unsafeRaw: HistoryKey.joined) \(unsafeRaw: HistoryActors.joined)
                WHERE c.id = \(bind: id.rawValue) ORDER BY e.sequence
                """
            ).all().map(HistoryRow.body)
        }
        return try bodies.map { try StoreCoding.decode(ComplaintEvent.self, from: $0) }
    }

    public func append(
        _ events: [ComplaintEvent], producing record: ComplaintRecord, expectedVersion: Int,
        effects: ComplaintEffects = .none
    ) async throws {
        try await append([
            ComplaintWrite(events: events, record: record, expectedVersion: expectedVersion, effects: effects)
        ])
    }

    /// Appends to several complaints in one transaction (a merge closes one and adds to another): all or none, each
    /// at the version its caller read.
    public func append(_ writes: [ComplaintWrite]) async throws {
        let actors = try await actors.stored(writes.flatMap { $0.events.map(\.actor) }, in: database)
        try await database.transaction { db in
            for write in writes { try await Self.append(write, actors: actors, on: db) }
        }
    }

    private static func append(
        _ write: ComplaintWrite, actors: [ActorReference: HistoryActors.Stored], on db: any SQLDatabase
    ) async throws {
        let record = write.record
        guard let key = try await updateRow(record, expectedVersion: write.expectedVersion, on: db) else {
            let current = try await db.select().column("version").from("complaints")
                .where("id", .equal, record.complaint.id.rawValue).first()
            guard let current else { throw StoreError.complaintNotFound }
            throw StoreError.versionConflict(
                expected: write.expectedVersion, current: try current.decode(column: "version", as: Int.self))
        }
        try await markChanged(receivedAt: record.complaint.receivedAt, on: db)
        let previous =
            try await db.select().column("hash").from("complaint_events")
            .where("number_year", .equal, key.year).where("number_sequence", .equal, key.sequence)
            .orderBy("sequence", .descending).limit(1).first()
            .map(HistoryRow.hash) ?? HistoryChain.genesis
        try await insertEvents(
            try write.events.map { ($0, try StoreCoding.encode($0)) }, of: record, key: key,
            previousHash: previous, actors: actors, on: db)
        try await Self.write(write.effects, for: record.complaint.id, on: db)
    }

    // MARK: - Rows

    /// A complaint's document with what tells whether it changed (`DecodedRecords`), and the subject and description
    /// it leaves to their columns.
    struct StoredDocument: Sendable {
        /// The columns a stored document is read with.
        static let columns = ["id", "version", "next_alert_at", "document", "subject", "description"]

        var id: String
        var key: DecodedRecords.Key
        var document: String
        var subject: String
        var description: String

        init(_ row: any SQLRow) throws {
            id = try row.decode(column: "id", as: String.self)
            key = DecodedRecords.Key(
                version: try row.decode(column: "version", as: Int.self),
                nextAlertAt: try row.decode(column: "next_alert_at", as: Int64?.self))
            document = try row.decode(column: "document", as: String.self)
            subject = try row.decode(column: "subject", as: String.self)
            description = try row.decode(column: "description", as: String.self)
        }

        /// The document of `record`: the customer's subject and description are left out (blank), since their
        /// columns hold them for search, and they were a second copy of the longest text of most complaints; keys
        /// and frequent values as two-byte codes (`StoredDocumentTokens`).
        static func text(of record: ComplaintRecord) throws -> String {
            var stored = record
            stored.complaint.intake.subject = ""
            stored.complaint.intake.description = ""
            return StoredDocumentTokens.packed(try StoreCoding.encode(stored))
        }
    }

    /// The record of a stored document, its subject and description from their columns (documents written before
    /// hold them too, the same).
    static func decodeRecord(_ stored: StoredDocument) throws -> ComplaintRecord {
        do {
            var record = try StoreCoding.decode(
                ComplaintRecord.self, from: try StoredDocumentTokens.unpacked(stored.document))
            record.complaint.intake.subject = stored.subject
            record.complaint.intake.description = stored.description
            return record
        } catch {
            throw StoreError.corruptRecord(String(describing: error))
        }
    }

    /// The queryable columns of a complaint, mirrored from its document (the document itself is written beside
    /// them).
    static func columns(of record: ComplaintRecord) -> [(String, any SQLExpression)] {
        let complaint = record.complaint
        let monitored = MonitoringReport.Entry(complaint, clocks: record.clocks)
        func instant(_ date: Date?) -> any SQLExpression { SQLBind(date.map(Timestamp.milliseconds)) }
        var columns: [(String, any SQLExpression)] = [
            ("state", SQLBind(complaint.state.rawValue)),
            ("kind", SQLBind(complaint.kind.rawValue)),
            ("channel", SQLBind(complaint.intake.channel.rawValue)),
            ("priority", SQLBind(complaint.priority.rawValue)),
            ("severity", SQLBind(complaint.severity.rawValue)),
            ("category", SQLBind(complaint.category)),
            ("subcategory", SQLBind(complaint.subcategory)),
            ("product", SQLBind(complaint.intake.product)),
            ("department", SQLBind(complaint.department?.rawValue)),
            ("owner", SQLBind(complaint.owner?.rawValue)),
            ("handler", SQLBind(complaint.handler?.rawValue)),
            ("complained_about_user", SQLBind(complaint.intake.complainedAboutUser?.rawValue)),
            ("customer_name", SQLBind(complaint.intake.customer.name)),
            ("customer_phone", SQLBind(complaint.intake.customer.phone.map(PhoneKey.normalized))),
            ("customer_email", SQLBind(complaint.intake.customer.email?.lowercased())),
            ("order_reference", SQLBind(LookupKey.reference(complaint.intake.reference))),
            ("reference", SQLBind(LookupKey.referenceAsGiven(complaint.intake.reference))),
            ("subject", SQLBind(complaint.intake.subject)),
            ("description", SQLBind(complaint.intake.description)),
            ("received_at", instant(complaint.receivedAt)),
            ("updated_at", instant(complaint.updatedAt)),
            ("closed_at", instant(complaint.closedAt)),
            ("version", SQLBind(complaint.version)),
            ("next_due_at", instant(record.nextDueAt)),
            ("pending_decision", SQLBind(PendingDecision.of(complaint)?.rawValue)),
            ("next_alert_at", instant(record.nextAlertAt)),
            ("satisfaction", SQLBind(complaint.satisfaction)),
            ("reopen_count", SQLBind(complaint.reopenCount)),
            ("is_repeat", SQLBind(complaint.repeatOf == nil ? 0 : 1)),
            ("incident", SQLBind(complaint.incident)),
            ("merged_into", SQLBind(complaint.mergedInto)),
            ("first_response_late", SQLBind(record.lateness(of: .firstResponse))),
            ("resolution_late", SQLBind(record.lateness(of: .resolution))),
            ("clock_outcomes", SQLBind(ClockOutcomes.code(of: record.clocks))),
            ("first_response_used", SQLBind(record.usedPercent(of: .firstResponse))),
            ("resolution_used", SQLBind(record.usedPercent(of: .resolution))),
            ("resolution_due_at", instant(monitored.resolutionDueAt)),
            ("verified_at", instant(monitored.verifiedAt)),
            (
                "bigrams",
                SQLBind(SearchTerms.bigrams(of: complaint.intake.subject + " " + complaint.intake.description))
            ),
        ]
        for clock in ClockKind.allCases {
            columns.append((DueColumn.name(clock), instant(record.dueAt(clock))))
        }
        return columns
    }

    static func insertRow(
        _ record: ComplaintRecord, document: String, columns: [(String, any SQLExpression)], year: Int, sequence: Int,
        on db: any SQLDatabase
    ) async throws {
        let row =
            columns + [
                ("document", SQLBind(document)), ("id", SQLBind(record.complaint.id.rawValue)),
                ("number", SQLBind(record.complaint.number)), ("number_year", SQLBind(year)),
                ("number_sequence", SQLBind(sequence)),
            ]
        try await db.execute(sql: RowInsert(table: "complaints", values: row)) { _ in }
    }

    /// Updates the row only if it is still at `expectedVersion`, and returns the key of its history; nil when it was
    /// not.
    static func updateRow(_ record: ComplaintRecord, expectedVersion: Int, on db: any SQLDatabase) async throws
        -> HistoryKey?
    {
        let update = RowUpdate(
            table: "complaints",
            values: columns(of: record) + [("document", SQLBind(try StoredDocument.text(of: record)))],
            matching: [("id", SQLBind(record.complaint.id.rawValue)), ("version", SQLBind(expectedVersion))],
            returning: ["number_year", "number_sequence"])
        return try await db.raw("\(update)").first().map(HistoryKey.init)
    }

    /// Appends events, each with its JSON body, chaining each to the hash before it (`HistoryRow` says how a row keeps
    /// them).
    static func insertEvents(
        _ events: [(event: ComplaintEvent, body: String)], of record: ComplaintRecord, key: HistoryKey,
        previousHash: String, actors: [ActorReference: HistoryActors.Stored], on db: any SQLDatabase
    ) async throws {
        var previous = previousHash
        let intake = IntakeText(record)
        for (event, body) in events {
            let hash = HistoryChain.hash(
                previous: previous, complaintID: record.complaint.id.rawValue, sequence: event.sequence, body: body)
            let values = HistoryRow.values(
                HistoryRow.pending(event, body: body, key: key, hash: hash, intake: intake), actors: actors)
            let row = RowInsert(
                table: "complaint_events", values: zip(HistoryRow.columns, values).map { (column: $0, value: $1) })
            try await db.execute(sql: row) { _ in }
            previous = hash
        }
    }
}

/// The due-at column of each clock.
enum DueColumn {
    static func name(_ clock: ClockKind) -> String { "due_\(clock.rawValue)" }
}

/// One complaint's part of a write: its new events, the record they produce and the version they were decided on.
public struct ComplaintWrite: Sendable {
    public var events: [ComplaintEvent]
    public var record: ComplaintRecord
    public var expectedVersion: Int
    public var effects: ComplaintEffects

    public init(
        events: [ComplaintEvent], record: ComplaintRecord, expectedVersion: Int, effects: ComplaintEffects = .none
    ) {
        self.events = events
        self.record = record
        self.expectedVersion = expectedVersion
        self.effects = effects
    }
}
