import CloseloopCore
import Foundation

/// Where complaints and their histories live. One SQL implementation (`SQLStore`) serves both dialects.
public protocol ComplaintStore: Sendable {
    /// Creates a complaint: allocates the next number of `year` and writes the row, its first event and the
    /// idempotency key in one transaction. `number` formats the allocated sequence; `make` builds the complaint and
    /// its first event for a number, and must not otherwise depend on it (it is called before the number is known,
    /// with a stand-in). When `idempotencyKey` was seen before with the same `fingerprint`, nothing is written and
    /// the first result is returned (`replayed` true).
    func create(
        year: Int, idempotencyKey: String?, fingerprint: String,
        number: @escaping @Sendable (Int) -> String,
        make: @escaping @Sendable (String) throws -> (ComplaintRecord, ComplaintEvent),
        effects: @escaping @Sendable (ComplaintRecord) throws -> ComplaintEffects
    ) async throws -> (record: ComplaintRecord, replayed: Bool)

    func record(id: ComplaintID) async throws -> ComplaintRecord?
    func record(number: String) async throws -> ComplaintRecord?
    /// The whole history, oldest first.
    func history(of id: ComplaintID) async throws -> [ComplaintEvent]
    /// Appends events and writes the complaint's new state, failing with `StoreError.versionConflict` when the
    /// complaint changed after `expectedVersion` was read.
    func append(
        _ events: [ComplaintEvent], producing record: ComplaintRecord, expectedVersion: Int, effects: ComplaintEffects
    ) async throws
    func list(_ query: ComplaintQuery) async throws -> ComplaintPage
    /// Walks every history chain and reports the first broken link.
    func verifyHistory() async throws -> HistoryVerification
}
