import CloseloopCore
import Synchronization

/// Complaint records already decoded from their stored documents. Decoding the JSON document was a third of a
/// 50-complaint queue's time, and queues show the same open complaints again and again.
///
/// A document changes only with its version (every event) or its next alert instant (`setNextAlert`), and both are
/// columns read beside it, so an entry is used only while both still match: correct across server instances sharing
/// the database, with no invalidation. Only committed rows, read outside write transactions, are kept.
final class DecodedRecords: Sendable {
    struct Key: Hashable, Sendable {
        var version: Int
        var nextAlertAt: Int64?
    }

    private struct Entry: Sendable {
        var key: Key
        var record: ComplaintRecord
    }

    /// At most this many records are kept (a few kB each); when full, the oldest half is dropped.
    let capacity: Int
    private let state = Mutex<(entries: [String: Entry], order: [String])>(([:], []))

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The record of a stored document, decoded now or earlier at the same key.
    func record(_ stored: SQLStore.StoredDocument) throws -> ComplaintRecord {
        let (id, key) = (stored.id, stored.key)
        if let entry = state.withLock({ $0.entries[id] }), entry.key == key { return entry.record }
        let record = try SQLStore.decodeRecord(stored)
        state.withLock { state in
            if state.entries.updateValue(Entry(key: key, record: record), forKey: id) == nil {
                state.order.append(id)
            }
            if state.order.count > capacity {
                let dropped = state.order.prefix(state.order.count - capacity / 2)
                for id in dropped { state.entries[id] = nil }
                state.order.removeFirst(dropped.count)
            }
        }
        return record
    }
}
