import CloseloopCore
import SQLKit
import Synchronization

/// Who acted in the history, each actor kept once (migration 36). A member of staff's event carried their kind, their
/// 36-character id and their name; the bench's 26 events a complaint, 19 of them by staff, spent about 0.9 KB on
/// it. Each distinct actor (a member of staff under one name, the customer, the system) is now a row of
/// `history_actors` holding the actor's JSON object exactly as the event's body had it, and an event row names it
/// by number.
///
/// The rows are never changed or removed (triggers), so an actor's number, once committed, means the same for ever
/// on every instance: this keeps what it has looked up. Numbers are taken in a transaction of their own before the
/// write that uses them, so none is kept from a write that rolled back.
final class HistoryActors: Sendable {
    /// An actor as stored: its number and its JSON object.
    struct Stored: Sendable, Hashable {
        var id: Int
        var text: String
    }

    /// At most this many actors are kept in memory (staff, the customer and the system: a few hundred at most in
    /// practice); when full, all are dropped and looked up again.
    let capacity: Int
    private let known = Mutex<[ActorReference: Stored]>([:])

    init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    /// The join of history rows (`e`) to their actors (`a`); rows kept whole have none.
    static let joined = "LEFT JOIN history_actors AS a ON a.id = e.actor"

    /// Every stored actor's JSON object by number, for a reader that rebuilds many bodies (`verify-history`): a table
    /// read once instead of each row's actor text.
    static func all(in db: any SQLDatabase) async throws -> [Int: [UInt8]] {
        var all: [Int: [UInt8]] = [:]
        for row in try await db.raw("SELECT id, actor FROM history_actors").all() {
            all[try row.decode(column: "id", as: Int.self)] = Array(
                try row.decode(column: "actor", as: String.self).utf8)
        }
        return all
    }

    /// The stored form of each of `actors`, adding those the database does not hold yet.
    func stored(_ actors: some Sequence<ActorReference>, in database: any Database) async throws
        -> [ActorReference: Stored]
    {
        var found: [ActorReference: Stored] = [:]
        var missing: [ActorReference: String] = [:]
        known.withLock { known in
            for actor in actors where found[actor] == nil {
                if let stored = known[actor] { found[actor] = stored }
            }
        }
        for actor in actors where found[actor] == nil && missing[actor] == nil {
            missing[actor] = try StoreCoding.encode(actor)
        }
        guard !missing.isEmpty else { return found }
        let adding = missing
        let added = try await database.transaction { db in
            var added: [ActorReference: Stored] = [:]
            for (actor, text) in adding {
                try await db.raw(
                    "INSERT INTO history_actors (actor) VALUES (\(bind: text)) ON CONFLICT (actor) DO NOTHING"
                ).run()
                let row = try await db.raw("SELECT id FROM history_actors WHERE actor = \(bind: text)").first()
                guard let row else { throw StoreError.corruptRecord("actor \(text) was not stored") }
                added[actor] = Stored(id: try row.decode(column: "id", as: Int.self), text: text)
            }
            return added
        }
        known.withLock { known in
            if known.count + added.count > capacity { known.removeAll() }
            known.merge(added) { _, new in new }
        }
        return found.merging(added) { _, new in new }
    }
}
