import CloseloopCore
import Foundation
import SQLKit

/// One event's row in `complaint_events`, as `create`, `append` and the bulk load write it and the reads take it
/// back: keyed by the complaint's `HistoryKey`, the type as a letter (`HistoryCodes`), the actor by its number
/// (`HistoryActors`), the body compacted (`StoredEventBody`) and the hash as bytes.
enum HistoryRow {
    static let columns = ["number_year", "number_sequence", "sequence", "at", "actor", "type", "body", "hash"]

    /// The columns the compact body leans on, its actor and, for a received event, its complaint's subject and
    /// description (`IntakeText`), for a query joining the rows (`e`) to their complaints (`c`) and their actors (`a`,
    /// `HistoryActors.joined`).
    static func selected(_ others: [String]) -> String {
        (["sequence", "at", "type"] + others).map { "e.\($0)" }.joined(separator: ", ")
            + ", a.actor AS actor_text, " + intake
    }

    /// As `selected`, with the actor's number (`actor`) in place of its text, for a reader that looks the numbers up
    /// itself (`HistoryActors.all`) and so needs no join to `a`.
    static func selectedWithActorNumber(_ others: [String]) -> String {
        (["sequence", "at", "type", "actor"] + others).map { "e.\($0)" }.joined(separator: ", ") + ", " + intake
    }

    private static var intake: String {
        let received = "e.type = '\(HistoryCodes.types.stored("received"))'"
        return "CASE WHEN \(received) THEN c.subject END AS intake_subject"
            + ", CASE WHEN \(received) THEN c.description END AS intake_description"
    }

    /// An event's row before its actor's number is known: everything but that is worked out from the event alone.
    struct Pending: Sendable {
        var key: HistoryKey
        var columns: StoredEventBody.Columns
        var actor: ActorReference
        var body: String
        var split: StoredEventBody.Split?
        var hash: Data
    }

    /// `intake`: the subject and description of the complaint as written with the event, which a received event
    /// holding the same leaves to the complaint's columns.
    static func pending(_ event: ComplaintEvent, body: String, key: HistoryKey, hash: String, intake: IntakeText)
        -> Pending
    {
        let columns = bodyColumns(of: event)
        var leftOut: IntakeText?
        if case .received(let received) = event.change,
            IntakeText(subject: received.intake.subject, description: received.intake.description) == intake
        {
            leftOut = intake
        }
        return Pending(
            key: key, columns: columns, actor: event.actor, body: body,
            split: StoredEventBody.split(body, columns, intake: leftOut), hash: HistoryChain.stored(hash))
    }

    /// The row's values, in the order of `columns`. The body is compact only where the actor's stored object is the
    /// very text the body holds; otherwise the row keeps it whole and names no actor.
    static func values(_ pending: Pending, actors: [ActorReference: HistoryActors.Stored]) -> [any SQLExpression] {
        let actor = actors[pending.actor].flatMap { $0.text == pending.split?.actor ? $0.id : nil }
        let body = actor == nil ? pending.body : pending.split?.data ?? pending.body
        return [
            SQLBind(pending.key.year), SQLBind(pending.key.sequence), SQLBind(pending.columns.sequence),
            SQLBind(pending.columns.at), SQLBind(actor), SQLBind(HistoryCodes.types.stored(pending.columns.type)),
            SQLBind(body), SQLBind(pending.hash),
        ]
    }

    static func bodyColumns(of event: ComplaintEvent) -> StoredEventBody.Columns {
        StoredEventBody.Columns(sequence: event.sequence, at: Timestamp.milliseconds(event.at), type: event.change.type)
    }

    /// The whole body of a row read with `selected(["body"])`.
    static func body(of row: any SQLRow) throws -> String {
        try StoredEventBody.expanded(
            try row.decode(column: "body", as: String.self),
            actor: try row.decode(column: "actor_text", as: String?.self), try columns(of: row),
            intake: try intake(of: row))
    }

    /// The whole body's bytes of a row read with `selectedWithActorNumber(["body"])`, its actor looked up in
    /// `actors`; nil when the row names an actor `actors` does not hold.
    static func bodyUTF8(of row: any SQLRow, actors: [Int: [UInt8]]) throws -> [UInt8]? {
        let number = try row.decode(column: "actor", as: Int?.self)
        var actor: [UInt8]?
        if let number {
            guard let known = actors[number] else { return nil }
            actor = known
        }
        return try StoredEventBody.expandedUTF8(
            try row.decode(column: "body", as: String.self), actor: actor, try columns(of: row),
            intake: try intake(of: row))
    }

    private static func columns(of row: any SQLRow) throws -> StoredEventBody.Columns {
        StoredEventBody.Columns(
            sequence: try row.decode(column: "sequence", as: Int.self),
            at: try row.decode(column: "at", as: Int64.self),
            type: HistoryCodes.types.name(try row.decode(column: "type", as: String.self)))
    }

    private static func intake(of row: any SQLRow) throws -> IntakeText? {
        let subject = try row.decode(column: "intake_subject", as: String?.self)
        let description = try row.decode(column: "intake_description", as: String?.self)
        return subject.flatMap { subject in description.map { IntakeText(subject: subject, description: $0) } }
    }

    /// The hex hash of a row read with `hash`.
    static func hash(of row: any SQLRow) throws -> String {
        HistoryChain.hash(stored: try row.decode(column: "hash", as: Data.self))
    }
}
