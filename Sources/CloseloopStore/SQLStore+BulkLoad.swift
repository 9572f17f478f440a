import CloseloopCore
import Foundation
import SQLKit

/// A complaint with its whole history, built elsewhere (the benchmark's generator replays real actions at historical
/// instants), to be written the way `create` and `append` would have written it, only many at a time.
public struct BulkComplaint: Sendable {
    public var record: ComplaintRecord
    /// Every event, oldest first, numbered from 1; the record is their result.
    public var history: [ComplaintEvent]
    public var numberYear: Int
    public var numberSequence: Int
    public var penalties: [PenaltyEntry]

    public init(
        record: ComplaintRecord, history: [ComplaintEvent], numberYear: Int, numberSequence: Int,
        penalties: [PenaltyEntry] = []
    ) {
        self.record = record
        self.history = history
        self.numberYear = numberYear
        self.numberSequence = numberSequence
        self.penalties = penalties
    }
}

/// Complaints encoded for their tables (documents, event bodies, hash chains), ready for one transaction. Encoding
/// is most of a bulk load's CPU, so it is done apart from the insert and can run while the writer is busy.
public struct BulkBatch: Sendable {
    fileprivate var complaints: [[any SQLExpression]] = []
    /// The events' rows wait for their actors' numbers, which `insert` looks up (`HistoryActors`).
    fileprivate var events: [HistoryRow.Pending] = []
    fileprivate var penalties: [[any SQLExpression]] = []
    /// The quarter hours the complaints were received in, marked as changed for the statistics rollup.
    fileprivate var receivedSlots: Set<Int64> = []
    /// Per year, the lowest and highest sequence the complaints are numbered with, and how many there are: `insert`
    /// moves the year's counter over exactly these, in the batch's own transaction.
    fileprivate var sequences: [Int: NumberSpan] = [:]

    /// A year's sequences in a batch.
    fileprivate struct NumberSpan: Sendable {
        var lowest: Int
        var highest: Int
        var count: Int

        func merged(_ other: NumberSpan) -> NumberSpan {
            NumberSpan(
                lowest: min(lowest, other.lowest), highest: max(highest, other.highest), count: count + other.count)
        }
    }

    public init() {}

    public var complaintCount: Int { complaints.count }
    public var eventCount: Int { events.count }

    /// Adds another batch's rows, so batches prepared in parallel go in one transaction.
    public mutating func append(contentsOf other: BulkBatch) {
        complaints += other.complaints
        events += other.events
        penalties += other.penalties
        receivedSlots.formUnion(other.receivedSlots)
        sequences.merge(other.sequences) { $0.merged($1) }
    }
}

/// Why `insert` refused a batch, writing none of it.
public enum BulkLoadError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The batch's numbers of `year` are not the ones after the counter's (`counter`): the loader reads the next one
    /// with `nextSequence(year:)` and numbers its complaints on from it, batch after batch, with no other intake
    /// meanwhile.
    case numbersNotNext(year: Int, lowest: Int, highest: Int, count: Int, counter: Int)

    public var description: String {
        switch self {
        case .numbersNotNext(let year, let lowest, let highest, let count, let counter):
            "\(count) complaints of \(year) numbered \(lowest)…\(highest), but the year's counter stands at \(counter)"
        }
    }
}

extension SQLStore {
    /// The sequence the next complaint of `year` written in bulk must have: one after the counter the server
    /// allocates from. A loader numbers its complaints on from it; `insert` moves the counter over each batch in the
    /// batch's own transaction, so complaints written in bulk and complaints created later never share a number, and a
    /// load stopped part-way leaves no gap (sequences reserved below the counter stay for later intakes,
    /// `SequenceAllocation`).
    public func nextSequence(year: Int) async throws -> Int {
        let last = try await database.read { db in
            try await db.raw("SELECT last_sequence FROM number_counters WHERE year = \(bind: year)").first()?
                .decode(column: "last_sequence", as: Int.self)
        }
        return (last ?? 0) + 1
    }

    /// Encodes complaints exactly as `create` and `append` store them: the row with its mirrored columns, each event
    /// body chained from the genesis hash, and the penalties. The search indexes follow the complaints' rows by
    /// themselves: triggers on SQLite, expression indexes on PostgreSQL.
    public func prepare(_ complaints: [BulkComplaint]) throws -> BulkBatch {
        var batch = BulkBatch()
        for item in complaints {
            let complaint = item.record.complaint
            let columns =
                Self.columns(of: item.record)
                + [
                    ("document", SQLBind(try StoredDocument.text(of: item.record))),
                    ("id", SQLBind(complaint.id.rawValue)), ("number", SQLBind(complaint.number)),
                    ("number_year", SQLBind(item.numberYear)), ("number_sequence", SQLBind(item.numberSequence)),
                ]
            batch.complaints.append(columns.map(\.1))
            batch.receivedSlots.insert(Self.changeSlot(complaint.receivedAt))
            let span = BulkBatch.NumberSpan(lowest: item.numberSequence, highest: item.numberSequence, count: 1)
            batch.sequences[item.numberYear] = batch.sequences[item.numberYear]?.merged(span) ?? span
            var previous = HistoryChain.genesis
            for event in item.history {
                let body = try StoreCoding.encode(event)
                let hash = HistoryChain.hash(
                    previous: previous, complaintID: complaint.id.rawValue, sequence: event.sequence, body: body)
                batch.events.append(
                    HistoryRow.pending(
                        event, body: body, key: HistoryKey(year: item.numberYear, sequence: item.numberSequence),
                        hash: hash, intake: IntakeText(item.record)))
                previous = hash
            }
            for penalty in item.penalties {
                batch.penalties.append([
                    SQLBind(penalty.complaintID.rawValue), SQLBind(penalty.clock.rawValue),
                    SQLBind(Timestamp.milliseconds(penalty.cycleStart)), SQLBind(penalty.department?.rawValue),
                    SQLBind(penalty.severity.rawValue), SQLBind(penalty.amount.minorUnits),
                    SQLBind(Timestamp.milliseconds(penalty.at)),
                ])
            }
        }
        return batch
    }

    /// Writes a prepared batch in one transaction with multi-row INSERTs, moving each year's number counter over the
    /// batch's sequences in it; refuses a batch whose sequences of a year are not the next ones
    /// (`BulkLoadError.numbersNotNext`).
    public func insert(_ batch: BulkBatch) async throws {
        let complaintColumns = Self.bulkComplaintColumns
        let actors = try await actors.stored(batch.events.map(\.actor), in: database)
        let events = batch.events.map { HistoryRow.values($0, actors: actors) }
        try await database.transaction { db in
            for (year, span) in batch.sequences.sorted(by: { $0.key < $1.key }) {
                let last = try await SequenceAllocation.advanceCounter(year: year, by: span.count, on: db)
                guard last == span.highest, span.highest - span.lowest + 1 == span.count else {
                    throw BulkLoadError.numbersNotNext(
                        year: year, lowest: span.lowest, highest: span.highest, count: span.count,
                        counter: last - span.count)
                }
            }
            try await Self.insertRows(batch.complaints, into: "complaints", columns: complaintColumns, on: db)
            for slot in batch.receivedSlots.sorted() {
                try await db.raw(
                    "INSERT INTO statistics_changes (slot) VALUES (\(bind: slot)) ON CONFLICT (slot) DO NOTHING"
                ).run()
            }
            try await Self.insertRows(events, into: "complaint_events", columns: HistoryRow.columns, on: db)
            try await Self.insertRows(
                batch.penalties, into: "penalties",
                columns: ["complaint_id", "clock", "cycle_start", "department", "severity", "amount_minor", "at"],
                on: db)
        }
    }

    /// The column names `prepare` fills, in its order; taken from an example row so the two cannot drift.
    private static var bulkComplaintColumns: [String] {
        let example = ComplaintRecord(
            complaint: Complaint(
                id: ComplaintID(""),
                received: EventChange.Received(
                    number: "",
                    intake: Intake(channel: .web, customer: CustomerDetails(name: ""), subject: "", description: "")),
                at: Date(timeIntervalSince1970: 0)),
            clocks: [])
        return columns(of: example).map(\.0) + ["document", "id", "number", "number_year", "number_sequence"]
    }

    /// Multi-row INSERTs of at most ~20,000 bound values each, under both dialects' limits.
    private static func insertRows(
        _ rows: [[any SQLExpression]], into table: String, columns: [String], on db: any SQLDatabase
    ) async throws {
        guard !rows.isEmpty else { return }
        let perStatement = max(1, 20_000 / max(columns.count, 1))
        var start = 0
        while start < rows.count {
            let end = min(start + perStatement, rows.count)
            let insert = db.insert(into: table).columns(columns)
            for row in rows[start..<end] { _ = insert.values(row) }
            try await insert.run()
            start = end
        }
    }
}
