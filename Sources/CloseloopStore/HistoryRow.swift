import CloseloopCore
import Foundation
import SQLKit

/// One event's row in `complaint_events`, as `create`, `append` and the bulk load write it and the reads take it
/// back: keyed by the complaint's `HistoryKey`, the type and the actor's kind as letters (`HistoryCodes`), the body
/// compacted (`StoredEventBody`) and the hash as bytes.
enum HistoryRow {
    static let columns = [
        "number_year", "number_sequence", "sequence", "at", "actor_kind", "actor_id", "type", "body", "hash",
    ]

    /// The columns the compact body leans on, in the order of `columns`.
    static let bodyColumns = ["sequence", "at", "actor_kind", "actor_id", "type"]

    /// `bodyColumns` and `others` of the history rows as `e`, for a query joining them to their complaints.
    static func selected(_ others: [String]) -> String {
        (bodyColumns + others).map { "e.\($0)" }.joined(separator: ", ")
    }

    static func values(_ event: ComplaintEvent, body: String, key: HistoryKey, hash: String) -> [any SQLExpression] {
        let described = bodyColumns(of: event)
        return [
            SQLBind(key.year), SQLBind(key.sequence), SQLBind(described.sequence), SQLBind(described.at),
            SQLBind(HistoryCodes.actorKinds.stored(described.actorKind)),
            SQLBind(described.actorID), SQLBind(HistoryCodes.types.stored(described.type)),
            SQLBind(StoredEventBody.compacted(body, described)), SQLBind(HistoryChain.stored(hash)),
        ]
    }

    static func bodyColumns(of event: ComplaintEvent) -> StoredEventBody.Columns {
        StoredEventBody.Columns(
            sequence: event.sequence, at: Timestamp.milliseconds(event.at), actorKind: event.actor.kind.rawValue,
            actorID: event.actor.userID?.rawValue, type: event.change.type)
    }

    /// The whole body of a row read with `bodyColumns` and `body`.
    static func body(of row: any SQLRow) throws -> String {
        let described = StoredEventBody.Columns(
            sequence: try row.decode(column: "sequence", as: Int.self),
            at: try row.decode(column: "at", as: Int64.self),
            actorKind: HistoryCodes.actorKinds.name(try row.decode(column: "actor_kind", as: String.self)),
            actorID: try row.decode(column: "actor_id", as: String?.self),
            type: HistoryCodes.types.name(try row.decode(column: "type", as: String.self)))
        return try StoredEventBody.expanded(try row.decode(column: "body", as: String.self), described)
    }

    /// The hex hash of a row read with `hash`.
    static func hash(of row: any SQLRow) throws -> String {
        HistoryChain.hash(stored: try row.decode(column: "hash", as: Data.self))
    }
}
