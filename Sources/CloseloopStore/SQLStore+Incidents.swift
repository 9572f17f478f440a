import CloseloopCore
import Foundation
import SQLKit

/// An incident with how many complaints it holds and how many of those are still open, for lists.
public struct IncidentSummary: Hashable, Sendable {
    public var incident: Incident
    public var complaints: Int
    public var openComplaints: Int

    public init(incident: Incident, complaints: Int, openComplaints: Int) {
        self.incident = incident
        self.complaints = complaints
        self.openComplaints = openComplaints
    }
}

extension SQLStore {
    /// Opens an incident numbered next in `year` (`make` builds it from the sequence), with the messages that report
    /// it, in one transaction. Two instances numbering at once both succeed: the later takes the next number.
    public func openIncident(
        year: Int, make: @escaping @Sendable (Int) -> Incident,
        outbox: @escaping @Sendable (Incident) -> [OutboxMessage]
    ) async throws -> Incident {
        try await database.transaction { db in
            for _ in 0..<8 {
                let next =
                    try await db.raw(
                        """
                        SELECT COALESCE(MAX(number_sequence), 0) + 1 AS next FROM incidents
                        WHERE number_year = \(bind: year)
                        """
                    ).first()?.decode(column: "next", as: Int64.self) ?? 1
                let incident = make(Int(next))
                let inserted =
                    try await db.raw(
                        """
                        INSERT INTO incidents (id, number, number_year, number_sequence, state, opened_at, updated_at,
                            version, document)
                        VALUES (\(bind: incident.id), \(bind: incident.number), \(bind: year), \(bind: Int(next)),
                            \(bind: incident.state.rawValue), \(bind: Timestamp.milliseconds(incident.openedAt)),
                            \(bind: Timestamp.milliseconds(incident.updatedAt)), \(bind: incident.version),
                            \(bind: try StoreCoding.encode(incident)))
                        ON CONFLICT (number) DO NOTHING RETURNING id
                        """
                    ).first() != nil
                guard inserted else { continue }
                for message in outbox(incident) { try await Self.insert(message, on: db) }
                return incident
            }
            throw StoreError.incidentVersionConflict(expected: 0, current: 0)
        }
    }

    /// Saves a changed incident if nobody changed it since `expectedVersion`; its version goes up by one.
    @discardableResult
    public func saveIncident(_ incident: Incident, expectedVersion: Int) async throws -> Incident {
        var next = incident
        next.version = expectedVersion + 1
        let saved = next
        try await database.transaction { db in
            let updated =
                try await db.raw(
                    """
                    UPDATE incidents SET state = \(bind: saved.state.rawValue),
                        updated_at = \(bind: Timestamp.milliseconds(saved.updatedAt)), version = \(bind: saved.version),
                        document = \(bind: try StoreCoding.encode(saved))
                    WHERE id = \(bind: saved.id) AND version = \(bind: expectedVersion) RETURNING id
                    """
                ).first() != nil
            guard updated else {
                let current = try await db.raw("SELECT version FROM incidents WHERE id = \(bind: saved.id)").first()
                guard let current else { throw StoreError.incidentNotFound }
                throw StoreError.incidentVersionConflict(
                    expected: expectedVersion, current: try current.decode(column: "version", as: Int.self))
            }
        }
        return saved
    }

    public func incident(number: String) async throws -> Incident? {
        try await database.lookup { db in
            try await db.raw("SELECT document FROM incidents WHERE number = \(bind: number)").first()
                .map { try StoreCoding.decode(Incident.self, from: $0.decode(column: "document", as: String.self)) }
        }
    }

    /// Incidents newest first, open ones or all, each with its complaints counted unless `counted` is false.
    public func incidents(openOnly: Bool, limit: Int, counted: Bool = true) async throws -> [IncidentSummary] {
        let incidents = try await database.read { db in
            let select = db.select().column("document").from("incidents")
            if openOnly { select.where("state", .equal, Incident.State.open.rawValue) }
            return try await select.orderBy("opened_at", .descending).limit(limit).all()
                .map { try StoreCoding.decode(Incident.self, from: $0.decode(column: "document", as: String.self)) }
        }
        guard counted, !incidents.isEmpty else {
            return incidents.map { IncidentSummary(incident: $0, complaints: 0, openComplaints: 0) }
        }
        let counts = try await database.read { db in
            let closed = [ComplaintState.closed, .archived].map(\.rawValue)
            return try await db.raw(
                """
                SELECT incident, COUNT(*) AS total,
                    SUM(CASE WHEN state IN (\(binds: closed)) THEN 0 ELSE 1 END) AS open
                FROM complaints WHERE incident IN (\(binds: incidents.map(\.number))) GROUP BY incident
                """
            ).all().reduce(into: [String: (Int, Int)]()) { counts, row in
                counts[try row.decode(column: "incident", as: String.self)] = (
                    Int(try row.decode(column: "total", as: Int64.self)),
                    Int(try row.decode(column: "open", as: Int64.self))
                )
            }
        }
        return incidents.map { incident in
            let (total, open) = counts[incident.number] ?? (0, 0)
            return IncidentSummary(incident: incident, complaints: total, openComplaints: open)
        }
    }

    /// The complaints linked to incident `number`, oldest first.
    public func complaints(inIncident number: String) async throws -> [ComplaintRecord] {
        try await records(where: "incident", equals: number)
    }

    /// The complaints merged into complaint `number`, oldest first.
    public func complaints(mergedInto number: String) async throws -> [ComplaintRecord] {
        try await records(where: "merged_into", equals: number)
    }

    private func records(where column: String, equals value: String) async throws -> [ComplaintRecord] {
        let documents = try await database.read { db in
            try await db.select().columns(StoredDocument.columns).from("complaints")
                .where(SQLIdentifier(column), .equal, value)
                .orderBy("received_at").limit(5_000).all().map(StoredDocument.init)
        }
        return try documents.map(Self.decodeRecord)
    }
}
