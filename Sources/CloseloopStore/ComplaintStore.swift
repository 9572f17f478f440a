import CloseloopCore
import Foundation

/// Where complaints and their histories live. One SQL implementation (`SQLStore`) serves both dialects.
public protocol ComplaintStore: Sendable {
    /// Creates a complaint: allocates the next number of `year` and writes the row, its first event and the
    /// idempotency key in one transaction. `make` receives the allocated sequence. When `idempotencyKey` was seen
    /// before with the same `fingerprint`, nothing is written and the first result is returned (`replayed` true).
    func create(
        year: Int, idempotencyKey: String?, fingerprint: String,
        make: @escaping @Sendable (Int) throws -> (ComplaintRecord, ComplaintEvent),
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
