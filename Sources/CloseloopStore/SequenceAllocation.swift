import SQLKit

/// Where a new complaint's sequence in its year comes from, inside the transaction that stores it: gap-free per year
/// and never reused.
///
/// SQLite has one writer, so moving the year's counter row in the intake's transaction costs nothing more than the
/// transaction itself. On PostgreSQL that row would stay locked from the update to COMMIT, and every intake of every
/// instance would queue on it. There an intake's transaction takes the year's lowest reserved sequence, skipping the
/// ones other transactions hold (`FOR UPDATE SKIP LOCKED`). When none is free it stops at once, and a transaction of
/// its own moves the counter by a block and reserves all of it, holding the counter row for that moment only; then
/// the intake starts again.
///
/// Gap-free: when any transaction commits, every sequence up to the year's counter is either one complaint's or
/// reserved, never both, and a unique index on (year, sequence) backs "never reused". Intakes take the lowest
/// reserved sequence and blocks are reserved whole, so the given sequences stay 1…n. A transaction that fails gives
/// back what it took (its delete rolls back), and the next intake of that year takes it: a sequence below the
/// highest given one is free only between a failed intake and the next, or while an intake is in flight.
enum SequenceAllocation {
    /// How many sequences a reservation takes on PostgreSQL. Larger blocks lock the counter less often; the reserved
    /// ones above the highest given are not gaps, they are numbers not yet given.
    static let block = 32
    /// Intakes that find nothing reserved after this many blocks (others took them first) reserve in their own
    /// transaction, holding the counter to its end, so that no intake starves.
    static let attemptsBeforeHolding = 3

    /// Runs `write` in one transaction with the sequence it stores its complaint under.
    static func numbering<Result: Sendable>(
        year: Int, in database: any Database,
        _ write: @escaping @Sendable (_ sequence: Int, _ db: any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        if database.dialect == .sqlite {
            return try await database.transaction { db in
                try await write(try await advanceCounter(year: year, by: 1, on: db), db)
            }
        }
        var attempt = 0
        while true {
            attempt += 1
            let holding = attempt > attemptsBeforeHolding
            let written = try await database.transaction { db -> Result? in
                if let sequence = try await takeReserved(year: year, on: db) { return try await write(sequence, db) }
                guard holding else { return nil }
                return try await write(try await reserveHeld(year: year, on: db), db)
            }
            if let written { return written }
            try await database.transaction { db in try await reserveBlock(year: year, on: db) }
        }
    }

    private static func takeReserved(year: Int, on db: any SQLDatabase) async throws -> Int? {
        try await db.raw(
            """
            DELETE FROM number_reservations WHERE year = \(bind: year) AND sequence = (
                SELECT sequence FROM number_reservations WHERE year = \(bind: year)
                ORDER BY sequence LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING sequence
            """
        ).first().map { try $0.decode(column: "sequence", as: Int.self) }
    }

    /// Moves the counter by a block and reserves all of it.
    private static func reserveBlock(year: Int, on db: any SQLDatabase) async throws {
        let last = try await advanceCounter(year: year, by: block, on: db)
        try await reserve(year: year, from: last - block + 1, through: last, on: db)
    }

    /// Holds the counter, takes what the reservations that committed meanwhile offer, and otherwise moves the counter
    /// by a block, keeping its first sequence and reserving the rest.
    private static func reserveHeld(year: Int, on db: any SQLDatabase) async throws -> Int {
        _ = try await advanceCounter(year: year, by: 0, on: db)
        if let sequence = try await takeReserved(year: year, on: db) { return sequence }
        let last = try await advanceCounter(year: year, by: block, on: db)
        let first = last - block + 1
        try await reserve(year: year, from: first + 1, through: last, on: db)
        return first
    }

    private static func reserve(year: Int, from first: Int, through last: Int, on db: any SQLDatabase) async throws {
        guard first <= last else { return }
        try await db.raw(
            """
            INSERT INTO number_reservations (year, sequence)
            SELECT \(bind: year), generate_series(\(bind: first)::bigint, \(bind: last)::bigint)
            """
        ).run()
    }

    /// Moves the year's counter by `count` and returns its new value, the last sequence taken; locks its row until
    /// the transaction ends.
    static func advanceCounter(year: Int, by count: Int, on db: any SQLDatabase) async throws -> Int {
        try await db.raw(
            """
            INSERT INTO number_counters (year, last_sequence) VALUES (\(bind: year), \(bind: count))
            ON CONFLICT (year) DO UPDATE SET last_sequence = number_counters.last_sequence + \(bind: count)
            RETURNING last_sequence
            """
        ).first().map { try $0.decode(column: "last_sequence", as: Int.self) } ?? count
    }
}
