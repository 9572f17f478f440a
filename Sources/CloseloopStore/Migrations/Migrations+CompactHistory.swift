extension Migrations {
    /// 034: the history keeps each event once. A row's body no longer repeats its columns (`StoredEventBody`: only
    /// the actor's name and the change's data stay), the previous event's hash is no longer stored beside the
    /// event's own (verification recomputes the chain from the hashes, so an edit is still found where it was made),
    /// the hash is kept as its 32 bytes, rows are keyed by the complaint's number's year and sequence
    /// (`HistoryKey`) instead of its 36-character id, and the index on `at`, which nothing reads by, is gone. On
    /// SQLite the table is clustered on its key (`WITHOUT ROWID`), so the key is not kept twice. Less than half the
    /// history's size.
    ///
    /// A body is compacted only where the columns rebuild it byte for byte (the CASE below checks it, in the same
    /// shape `StoredEventBody.expanded` rebuilds); any other body is kept whole, so every hash verifies as before.
    static let compactHistory = Migration(number: 34, name: "compact_history") { dialect in
        let columns = "number_year, number_sequence, sequence, at, actor_kind, actor_id, type, body, hash"
        switch dialect {
        case .sqlite:
            return [
                """
                CREATE TABLE complaint_events_compact (
                    number_year INTEGER NOT NULL,
                    number_sequence INTEGER NOT NULL,
                    sequence INTEGER NOT NULL,
                    at BIGINT NOT NULL,
                    actor_kind TEXT NOT NULL,
                    actor_id TEXT,
                    type TEXT NOT NULL,
                    body TEXT NOT NULL,
                    hash BLOB NOT NULL,
                    PRIMARY KEY (number_year, number_sequence, sequence),
                    FOREIGN KEY (number_year, number_sequence) REFERENCES complaints (number_year, number_sequence)
                ) WITHOUT ROWID
                """,
                """
                INSERT INTO complaint_events_compact (\(columns))
                \(compactedRows(
                    position: "instr", hash: "unhex(hash)", character: "char",
                    controlByte: "data GLOB '*[' || char(1) || '-' || char(31) || ']*'"))
                """,
                "DROP TABLE complaint_events",
                "ALTER TABLE complaint_events_compact RENAME TO complaint_events",
                """
                CREATE TRIGGER complaint_events_no_update BEFORE UPDATE ON complaint_events
                BEGIN SELECT RAISE(ABORT, 'complaint history is append-only'); END
                """,
                """
                CREATE TRIGGER complaint_events_no_delete BEFORE DELETE ON complaint_events
                BEGIN SELECT RAISE(ABORT, 'complaint history is append-only'); END
                """,
            ]
        case .postgres:
            // The key and the reference are added after the rows: one sorted index build and one check of the
            // whole table, not one of each per row. The 8-byte instant comes first, so that no padding aligns it
            // after the three 4-byte integers (4 bytes a row).
            return [
                """
                CREATE TABLE complaint_events_compact (
                    at BIGINT NOT NULL,
                    number_year INTEGER NOT NULL,
                    number_sequence INTEGER NOT NULL,
                    sequence INTEGER NOT NULL,
                    actor_kind TEXT NOT NULL,
                    actor_id TEXT,
                    type TEXT NOT NULL,
                    body TEXT NOT NULL,
                    hash BYTEA NOT NULL
                )
                """,
                """
                INSERT INTO complaint_events_compact (\(columns))
                \(compactedRows(
                    position: "strpos", hash: "decode(hash, 'hex')", character: "chr",
                    controlByte: #"data ~ '[\x01-\x1f]'"#))
                """,
                "DROP TABLE complaint_events",
                "ALTER TABLE complaint_events_compact RENAME TO complaint_events",
                "ALTER TABLE complaint_events ADD PRIMARY KEY (number_year, number_sequence, sequence)",
                """
                ALTER TABLE complaint_events ADD FOREIGN KEY (number_year, number_sequence)
                REFERENCES complaints (number_year, number_sequence)
                """,
                """
                CREATE TRIGGER complaint_events_append_only BEFORE UPDATE OR DELETE ON complaint_events
                FOR EACH ROW EXECUTE FUNCTION closeloop_history_is_append_only()
                """,
            ]
        }
    }

    /// The old table's rows in the new form, each keyed by its complaint's number, in key order (a complaint's
    /// events together), the change data's tokens replaced by their codes (`StoredEventTokens`; in any order, since
    /// JSON text holds none of the codes, so any replacement unpacks exactly). `position` is the dialect's substring
    /// search; `hash` the old hex hash decoded to bytes; `character` the function making a character of a code;
    /// `controlByte` the condition that `data` holds a control byte, which keeps its body whole.
    private static func compactedRows(position: String, hash: String, character: String, controlByte: String)
        -> String
    {
        let packed = zip(StoredEventTokens.tokens, StoredEventTokens.codes)
            .sorted { $0.0.utf8.count > $1.0.utf8.count }
            .reduce("data") { sql, token in "replace(\(sql), '\(token.0)', \(character)(\(token.1)))" }
        // The type and the actor's kind as their letters (`HistoryCodes`).
        func coded(_ column: String, _ codes: HistoryCodes) -> String {
            let cases = codes.pairs.map { "WHEN '\($0.name)' THEN '\($0.letter)'" }.joined(separator: " ")
            return "CASE \(column) \(cases) ELSE \(column) END"
        }
        // The name must be one JSON string with no escapes, so `StoredEventBody.expanded` finds where it ends.
        return #"""
            SELECT number_year, number_sequence, sequence, at, \#(coded("actor_kind", HistoryCodes.actorKinds)),
                actor_id, \#(coded("type", HistoryCodes.types)),
                CASE WHEN name IS NOT NULL AND data IS NOT NULL AND length(name) >= 2 AND length(data) > 0
                    AND substr(name, 1, 1) = '"' AND substr(name, length(name), 1) = '"'
                    AND \#(position)(substr(name, 2, length(name) - 2), '"') = 0 AND \#(position)(name, '\') = 0
                    AND prefix || name || middle || data || suffix = body AND NOT (\#(controlByte))
                THEN name || \#(packed) ELSE body END,
                \#(hash)
            FROM (
                SELECT framed.*,
                    CASE WHEN pos > length(prefix) + 1
                        THEN substr(body, length(prefix) + 1, pos - length(prefix) - 1) END AS name,
                    CASE WHEN pos > 0 AND length(body) - pos - length(middle) - length(suffix) + 1 > 0
                        THEN substr(body, pos + length(middle), length(body) - pos - length(middle) - length(suffix) + 1)
                    END AS data
                FROM (
                    SELECT parts.*, \#(position)(body, middle) AS pos
                    FROM (
                        SELECT e.*, c.number_year, c.number_sequence,
                            '{"actor":{"kind":"' || e.actor_kind || '","name":' AS prefix,
                            coalesce(',"userID":"' || e.actor_id || '"', '') || '},"at":' || e.at
                                || ',"change":{"data":' AS middle,
                            ',"type":"' || e.type || '"},"sequence":' || e.sequence || '}' AS suffix
                        FROM complaint_events e JOIN complaints c ON c.id = e.complaint_id
                    ) parts
                ) framed
            ) split
            ORDER BY number_year, number_sequence, sequence
            """#
    }
}
