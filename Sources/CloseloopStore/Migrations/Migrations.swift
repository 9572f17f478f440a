import CloseloopCore

/// The schema, in order. Never edit a migration that has shipped; add the next number instead.
public enum Migrations {
    public static let all: [Migration] = [
        initial, search, appendOnlyHistory, personalDataViews, web, alerts, reporting, searchBigrams,
        searchOverComplaints, departmentQueue, monitoring, periodStatistics, leagueTables, caseLibrary,
        hotspots, spotChecks, improvementActions, clockMeasures,
        outboxAttachments, statisticsRollup, inboundMessages, outboxByComplaint, classificationSuggestions,
        complaintBursts, incidents, lookup, referenceAsGiven, failedAttempts, textByWeek, healthChecks,
        monitoringCovered, searchTable, numberReservations, compactHistory, complaintsTextByWeekDropped, historyActors,
        lookupIndexesMerged, ginPendingListsShort,
    ]

    /// 001: complaints with one due-at column per clock, their history, numbering, users, tokens and settings.
    static let initial = Migration(number: 1, name: "initial") { _ in
        [
            """
            CREATE TABLE complaints (
                id TEXT PRIMARY KEY,
                number TEXT NOT NULL UNIQUE,
                number_year INTEGER NOT NULL,
                number_sequence BIGINT NOT NULL,
                state TEXT NOT NULL,
                kind TEXT NOT NULL,
                channel TEXT NOT NULL,
                priority TEXT NOT NULL,
                severity TEXT NOT NULL,
                category TEXT,
                department TEXT,
                owner TEXT,
                handler TEXT,
                complained_about_user TEXT,
                customer_name TEXT NOT NULL,
                customer_phone TEXT,
                customer_email TEXT,
                subject TEXT NOT NULL,
                description TEXT NOT NULL,
                received_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                closed_at BIGINT,
                version INTEGER NOT NULL,
                document TEXT NOT NULL,
                    due_completeness BIGINT,
                    due_first_response BIGINT,
                    due_first_contact BIGINT,
                    due_customer_update BIGINT,
                    due_approval BIGINT,
                    due_department_result BIGINT,
                    due_resolution BIGINT,
                    due_verification BIGINT,
                    due_return_visit BIGINT,
                    due_request_answer BIGINT,
                next_due_at BIGINT,
                UNIQUE (number_year, number_sequence)
            )
            """,
            "CREATE INDEX complaints_next_due ON complaints (next_due_at) WHERE next_due_at IS NOT NULL",
            "CREATE INDEX complaints_received ON complaints (received_at, id)",
            "CREATE INDEX complaints_department_queue ON complaints (department, state, next_due_at)",
            "CREATE INDEX complaints_owner ON complaints (owner, state)",
            "CREATE INDEX complaints_state ON complaints (state, received_at)",
            "CREATE INDEX complaints_customer_phone ON complaints (customer_phone)",
            """
            CREATE TABLE complaint_events (
                complaint_id TEXT NOT NULL REFERENCES complaints (id),
                sequence INTEGER NOT NULL,
                at BIGINT NOT NULL,
                actor_kind TEXT NOT NULL,
                actor_id TEXT,
                type TEXT NOT NULL,
                body TEXT NOT NULL,
                previous_hash TEXT NOT NULL,
                hash TEXT NOT NULL,
                PRIMARY KEY (complaint_id, sequence)
            )
            """,
            "CREATE INDEX complaint_events_at ON complaint_events (at)",
            "CREATE TABLE number_counters (year INTEGER PRIMARY KEY, last_sequence BIGINT NOT NULL)",
            """
            CREATE TABLE idempotency_keys (
                key TEXT PRIMARY KEY,
                fingerprint TEXT NOT NULL,
                complaint_id TEXT NOT NULL REFERENCES complaints (id),
                created_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE users (
                id TEXT PRIMARY KEY,
                username TEXT NOT NULL UNIQUE,
                display_name TEXT NOT NULL,
                password_hash TEXT NOT NULL,
                department TEXT,
                grants TEXT NOT NULL,
                language TEXT NOT NULL,
                active INTEGER NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE api_tokens (
                token_hash TEXT PRIMARY KEY,
                user_id TEXT NOT NULL REFERENCES users (id),
                name TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT
            )
            """,
            """
            CREATE TABLE departments (
                id TEXT PRIMARY KEY,
                name_zh TEXT NOT NULL,
                name_en TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE settings (
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE attachments (
                id TEXT PRIMARY KEY,
                sha256 TEXT NOT NULL,
                file_name TEXT NOT NULL,
                content_type TEXT NOT NULL,
                size BIGINT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
        ]
    }

    /// 002: full-text search over subject and description that works for Chinese (trigrams on both dialects).
    static let search = Migration(number: 2, name: "search") { dialect in
        switch dialect {
        case .sqlite:
            [
                """
                CREATE VIRTUAL TABLE complaint_search USING fts5(
                    complaint_id UNINDEXED, subject, description, tokenize = 'trigram'
                )
                """
            ]
        case .postgres:
            [
                "CREATE EXTENSION IF NOT EXISTS pg_trgm",
                """
                CREATE INDEX complaints_text_trgm ON complaints
                USING gin ((subject || ' ' || description) gin_trgm_ops)
                """,
            ]
        }
    }

    /// 003: the history refuses updates and deletes at the database, whatever the caller.
    static let appendOnlyHistory = Migration(number: 3, name: "append_only_history") { dialect in
        switch dialect {
        case .sqlite:
            [
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
            [
                """
                CREATE FUNCTION closeloop_history_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'complaint history is append-only'; END $$
                """,
                """
                CREATE TRIGGER complaint_events_append_only BEFORE UPDATE OR DELETE ON complaint_events
                FOR EACH ROW EXECUTE FUNCTION closeloop_history_is_append_only()
                """,
            ]
        }
    }

    /// 004: who saw a customer's unmasked phone and email, and when (SPEC §1: every view by staff is logged).
    static let personalDataViews = Migration(number: 4, name: "personal_data_views") { _ in
        [
            """
            CREATE TABLE personal_data_views (
                complaint_id TEXT NOT NULL REFERENCES complaints (id),
                user_id TEXT NOT NULL,
                at BIGINT NOT NULL,
                purpose TEXT NOT NULL
            )
            """,
            "CREATE INDEX personal_data_views_complaint ON personal_data_views (complaint_id, at)",
        ]
    }

    /// 005: the browser's sessions, saved queue filters, the audit log of administration, and the columns the
    /// staff queues filter on (whose decision a complaint awaits; the handler; the last change).
    static let web = Migration(number: 5, name: "web") { _ in
        [
            """
            CREATE TABLE web_sessions (
                token_hash TEXT PRIMARY KEY,
                kind TEXT NOT NULL,
                user_id TEXT,
                complaint_id TEXT,
                csrf_token TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX web_sessions_expiry ON web_sessions (expires_at)",
            """
            CREATE TABLE saved_filters (
                id TEXT PRIMARY KEY,
                user_id TEXT NOT NULL,
                name TEXT NOT NULL,
                query TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX saved_filters_user ON saved_filters (user_id, name)",
            """
            CREATE TABLE audit_log (
                id TEXT PRIMARY KEY,
                at BIGINT NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                subject TEXT NOT NULL,
                detail TEXT NOT NULL
            )
            """,
            "CREATE INDEX audit_log_at ON audit_log (at)",
            "ALTER TABLE complaints ADD COLUMN pending_decision TEXT",
            "UPDATE complaints SET pending_decision = 'approval' WHERE state = 'awaiting_approval'",
            """
            UPDATE complaints SET pending_decision = 'delay'
            WHERE pending_decision IS NULL AND document LIKE '%"pendingDelay"%'
            """,
            """
            CREATE INDEX complaints_pending_decision ON complaints (pending_decision, received_at)
            WHERE pending_decision IS NOT NULL
            """,
            "CREATE INDEX complaints_handler ON complaints (handler, state)",
            "CREATE INDEX complaints_updated ON complaints (updated_at)",
            "CREATE INDEX complaints_customer_email ON complaints (customer_email)",
        ]
    }

    /// 006: what the deadline watcher reads (`next_alert_at`, the next warning or breach a complaint owes), the
    /// penalty ledger, the outbox of notifications written in the same transaction as their events, and where each
    /// user and department wants to be told (email address, phone, IM group robot).
    static let alerts = Migration(number: 6, name: "alerts") { _ in
        [
            "ALTER TABLE complaints ADD COLUMN next_alert_at BIGINT",
            // Open complaints from before this migration are looked at once by the watcher, which works out their
            // real next alert.
            "UPDATE complaints SET next_alert_at = updated_at WHERE next_due_at IS NOT NULL",
            "CREATE INDEX complaints_next_alert ON complaints (next_alert_at) WHERE next_alert_at IS NOT NULL",
            """
            CREATE TABLE penalties (
                complaint_id TEXT NOT NULL REFERENCES complaints (id),
                clock TEXT NOT NULL,
                cycle_start BIGINT NOT NULL,
                department TEXT,
                severity TEXT NOT NULL,
                amount_minor BIGINT NOT NULL,
                at BIGINT NOT NULL,
                waived_at BIGINT,
                waived_reason TEXT,
                PRIMARY KEY (complaint_id, clock, cycle_start)
            )
            """,
            "CREATE INDEX penalties_department ON penalties (department, at)",
            """
            CREATE TABLE outbox (
                id TEXT PRIMARY KEY,
                created_at BIGINT NOT NULL,
                complaint_id TEXT,
                topic TEXT NOT NULL,
                channel TEXT NOT NULL,
                recipient TEXT NOT NULL,
                subject TEXT NOT NULL,
                body TEXT NOT NULL,
                status TEXT NOT NULL,
                attempts INTEGER NOT NULL,
                next_attempt_at BIGINT NOT NULL,
                claimed_until BIGINT,
                last_error TEXT,
                sent_at BIGINT
            )
            """,
            "CREATE INDEX outbox_pending ON outbox (status, next_attempt_at)",
            """
            CREATE TABLE notification_targets (
                owner_kind TEXT NOT NULL,
                owner_id TEXT NOT NULL,
                channel TEXT NOT NULL,
                address TEXT NOT NULL,
                secret TEXT,
                PRIMARY KEY (owner_kind, owner_id, channel, address)
            )
            """,
        ]
    }

    /// 007: the figures SPEC §7's reports total, mirrored from each complaint's document so a month is summed in SQL
    /// instead of decoding every document: the customer's rating, reopenings, repeat complaints, and whether the
    /// first response and the resolution were late (NULL while the clock has not stopped).
    static let reporting = Migration(number: 7, name: "reporting") { dialect in
        let satisfaction: String
        let reopens: String
        let repeated: String
        switch dialect {
        case .sqlite:
            satisfaction = "json_extract(document, '$.complaint.satisfaction')"
            reopens = "COALESCE(json_extract(document, '$.complaint.reopenCount'), 0)"
            repeated = "CASE WHEN json_extract(document, '$.complaint.repeatOf') IS NULL THEN 0 ELSE 1 END"
        case .postgres:
            satisfaction = "(document::jsonb #>> '{complaint,satisfaction}')::integer"
            reopens = "COALESCE((document::jsonb #>> '{complaint,reopenCount}')::integer, 0)"
            repeated = "CASE WHEN document::jsonb #>> '{complaint,repeatOf}' IS NULL THEN 0 ELSE 1 END"
        }
        return [
            "ALTER TABLE complaints ADD COLUMN satisfaction INTEGER",
            "ALTER TABLE complaints ADD COLUMN reopen_count INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE complaints ADD COLUMN is_repeat INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE complaints ADD COLUMN first_response_late INTEGER",
            "ALTER TABLE complaints ADD COLUMN resolution_late INTEGER",
            // The lateness of complaints written before this migration is filled in at their next change.
            "UPDATE complaints SET satisfaction = \(satisfaction), reopen_count = \(reopens), is_repeat = \(repeated)",
        ]
    }

    /// 008: two-character Chinese terms (退款, 快递), too short for trigrams, are found through the text's character
    /// pairs: the `bigrams` column (space-separated), indexed by FTS5 on SQLite (kept by triggers) and by a GIN index
    /// on PostgreSQL. Rows from before are filled by `SQLStore.fillMissingBigrams`, found by a partial index.
    static let searchBigrams = Migration(number: 8, name: "search_bigrams") { dialect in
        var statements = [
            "ALTER TABLE complaints ADD COLUMN bigrams TEXT",
            "CREATE INDEX complaints_bigrams_missing ON complaints (id) WHERE bigrams IS NULL",
        ]
        switch dialect {
        case .sqlite:
            statements += [
                """
                CREATE VIRTUAL TABLE complaint_bigrams USING fts5(
                    bigrams, content = 'complaints', content_rowid = 'rowid', tokenize = 'unicode61'
                )
                """,
                """
                CREATE TRIGGER complaint_bigrams_insert AFTER INSERT ON complaints WHEN new.bigrams IS NOT NULL BEGIN
                    INSERT INTO complaint_bigrams (rowid, bigrams) VALUES (new.rowid, new.bigrams);
                END
                """,
                """
                CREATE TRIGGER complaint_bigrams_update AFTER UPDATE OF bigrams ON complaints
                WHEN old.bigrams IS NOT new.bigrams BEGIN
                    INSERT INTO complaint_bigrams (complaint_bigrams, rowid, bigrams)
                        SELECT 'delete', old.rowid, old.bigrams WHERE old.bigrams IS NOT NULL;
                    INSERT INTO complaint_bigrams (rowid, bigrams) VALUES (new.rowid, new.bigrams);
                END
                """,
            ]
        case .postgres:
            statements.append(
                "CREATE INDEX complaints_bigrams ON complaints USING gin ((string_to_array(bigrams, ' ')))")
        }
        return statements
    }

    /// 009 (SQLite): the trigram index reads its text from `complaints` (external content) instead of keeping a
    /// second copy, and its rowids are the complaints' own, so a search yields rowids without reading any text and
    /// a common term can be walked in received order. The index is rebuilt once from the complaints.
    static let searchOverComplaints = Migration(number: 9, name: "search_over_complaints") { dialect in
        switch dialect {
        case .sqlite:
            [
                "DROP TABLE complaint_search",
                """
                CREATE VIRTUAL TABLE complaint_search USING fts5(
                    subject, description, content = 'complaints', content_rowid = 'rowid', tokenize = 'trigram'
                )
                """,
                "INSERT INTO complaint_search (complaint_search) VALUES ('rebuild')",
                """
                CREATE TRIGGER complaint_search_insert AFTER INSERT ON complaints BEGIN
                    INSERT INTO complaint_search (rowid, subject, description)
                        VALUES (new.rowid, new.subject, new.description);
                END
                """,
                """
                CREATE TRIGGER complaint_search_update AFTER UPDATE OF subject, description ON complaints
                WHEN old.subject IS NOT new.subject OR old.description IS NOT new.description BEGIN
                    INSERT INTO complaint_search (complaint_search, rowid, subject, description)
                        VALUES ('delete', old.rowid, old.subject, old.description);
                    INSERT INTO complaint_search (rowid, subject, description)
                        VALUES (new.rowid, new.subject, new.description);
                END
                """,
            ]
        case .postgres:
            []
        }
    }

    /// 010: a department's queue (open complaints, nearest deadline first) read in index order and stopped at a
    /// page. The older (department, state, next_due_at) index made both dialects read every complaint the
    /// department ever had and sort the open ones.
    static let departmentQueue = Migration(number: 10, name: "department_queue") { _ in
        [
            """
            CREATE INDEX complaints_department_due ON complaints (department, next_due_at, id)
            WHERE next_due_at IS NOT NULL
            """
        ]
    }

    /// 011: what the monitoring report reads of a complaint (`MonitoringReport.Entry`) as indexed columns, so a
    /// day's check reads the few complaints that matter instead of decoding months of documents. Existing rows are
    /// filled from their documents' clocks, and the lateness migration 7 left for their next change is filled too.
    static let monitoring = Migration(number: 11, name: "monitoring") { dialect in
        /// `value` over the first cycle of `clock` in the row's document, given the SQL of its due and stop instants.
        func firstCycle(_ clock: String, _ value: (_ due: String, _ stopped: String) -> String) -> String {
            switch dialect {
            case .sqlite:
                """
                (SELECT \(value("json_extract(value, '$.dueAt')", "json_extract(value, '$.stoppedAt')"))
                 FROM json_each(document, '$.clocks') WHERE json_extract(value, '$.clock') = '\(clock)'
                 ORDER BY key LIMIT 1)
                """
            case .postgres:
                """
                (SELECT \(value("(c ->> 'dueAt')::bigint", "(c ->> 'stoppedAt')::bigint"))
                 FROM jsonb_array_elements(document::jsonb -> 'clocks') WITH ORDINALITY AS t (c, n)
                 WHERE c ->> 'clock' = '\(clock)' ORDER BY n LIMIT 1)
                """
            }
        }
        func lateness(_ due: String, _ stopped: String) -> String {
            "CASE WHEN \(stopped) IS NULL THEN NULL WHEN \(due) IS NULL THEN 0 WHEN \(stopped) > \(due) THEN 1 ELSE 0 END"
        }
        return [
            "ALTER TABLE complaints ADD COLUMN resolution_due_at BIGINT",
            "ALTER TABLE complaints ADD COLUMN verified_at BIGINT",
            """
            UPDATE complaints SET
                resolution_due_at = \(firstCycle("resolution") { due, _ in due }),
                verified_at = \(firstCycle("verification") { _, stopped in stopped }),
                resolution_late = COALESCE(resolution_late, \(firstCycle("resolution", lateness))),
                first_response_late = COALESCE(first_response_late, \(firstCycle("first_response", lateness)))
            """,
            "CREATE INDEX complaints_resolution_due ON complaints (resolution_due_at) WHERE resolution_due_at IS NOT NULL",
            "CREATE INDEX complaints_verified ON complaints (verified_at) WHERE verified_at IS NOT NULL",
            "CREATE INDEX complaints_closed ON complaints (closed_at) WHERE closed_at IS NOT NULL",
            """
            CREATE INDEX complaints_first_response_due ON complaints (due_first_response)
            WHERE due_first_response IS NOT NULL
            """,
        ]
    }

    /// 012: a period's statistics (`SQLStore.statistics`) read from one index holding every column they count, not
    /// from the complaint rows, whose large document sits before the columns added later: a month at a million
    /// complaints took seconds of reading documents it never used.
    static let periodStatistics = Migration(number: 12, name: "period_statistics") { _ in
        [
            """
            CREATE INDEX complaints_period ON complaints (
                received_at, channel, category, department, severity, priority, kind, state, closed_at, satisfaction,
                reopen_count, is_repeat, first_response_late, resolution_late
            )
            """
        ]
    }

    /// 013: the period index also covers the owner, so a league table per owner sums from the index like the
    /// dashboards do, never from the documents.
    static let leagueTables = Migration(number: 13, name: "league_tables") { _ in
        [
            "DROP INDEX complaints_period",
            """
            CREATE INDEX complaints_period ON complaints (
                received_at, channel, category, department, owner, severity, priority, kind, state, closed_at,
                satisfaction, reopen_count, is_repeat, first_response_late, resolution_late
            )
            """,
        ]
    }

    /// 014: the case library (案例库), one write-up per complaint, its review state and a lower-cased search text.
    static let caseLibrary = Migration(number: 14, name: "case_library") { _ in
        [
            """
            CREATE TABLE cases (
                complaint_id TEXT PRIMARY KEY REFERENCES complaints (id),
                number TEXT NOT NULL,
                title TEXT NOT NULL,
                category TEXT,
                product TEXT,
                tags TEXT NOT NULL,
                cause TEXT NOT NULL,
                handling TEXT NOT NULL,
                lesson TEXT NOT NULL,
                prevention TEXT NOT NULL,
                status TEXT NOT NULL,
                written_by TEXT NOT NULL,
                written_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                published_by TEXT,
                published_at BIGINT,
                search_text TEXT NOT NULL
            )
            """,
            "CREATE INDEX cases_status ON cases (status, updated_at)",
        ]
    }

    /// 015: the product as a column (mirrored from the intake, filled in for complaints already written), covered by
    /// the period index, so the hotspots of a period (category × product) are summed like every other figure.
    static let hotspots = Migration(number: 15, name: "hotspots") { dialect in
        let product =
            switch dialect {
            case .sqlite: "json_extract(document, '$.complaint.intake.product')"
            case .postgres: "document::jsonb #>> '{complaint,intake,product}'"
            }
        return [
            "ALTER TABLE complaints ADD COLUMN product TEXT",
            "UPDATE complaints SET product = \(product)",
            "DROP INDEX complaints_period",
            """
            CREATE INDEX complaints_period ON complaints (
                received_at, channel, category, product, department, owner, severity, priority, kind, state, closed_at,
                satisfaction, reopen_count, is_repeat, first_response_late, resolution_late
            )
            """,
        ]
    }

    /// 016: quality's spot checks, one per drawn complaint, with their scores.
    static let spotChecks = Migration(number: 16, name: "spot_checks") { _ in
        [
            """
            CREATE TABLE spot_checks (
                complaint_id TEXT PRIMARY KEY REFERENCES complaints (id),
                number TEXT NOT NULL,
                department TEXT,
                owner TEXT,
                period TEXT NOT NULL,
                drawn_at BIGINT NOT NULL,
                drawn_by TEXT NOT NULL,
                scores TEXT NOT NULL,
                total INTEGER,
                note TEXT NOT NULL,
                checked_by TEXT,
                checked_at BIGINT
            )
            """,
            "CREATE INDEX spot_checks_period ON spot_checks (period, department)",
        ]
    }

    /// 017: improvement actions (整改措施), with the instants their due day's warning and breach went out.
    static let improvementActions = Migration(number: 17, name: "improvement_actions") { _ in
        [
            """
            CREATE TABLE improvement_actions (
                id TEXT PRIMARY KEY,
                title TEXT NOT NULL,
                description TEXT NOT NULL,
                source TEXT NOT NULL,
                department TEXT NOT NULL,
                owner TEXT NOT NULL,
                due TEXT NOT NULL,
                status TEXT NOT NULL,
                complaints TEXT NOT NULL,
                result TEXT NOT NULL,
                created_by TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                warned_at BIGINT,
                breached_at BIGINT
            )
            """,
            "CREATE INDEX improvement_actions_status ON improvement_actions (status, due)",
        ]
    }

    /// 018: every clock's outcome (`ClockOutcomes`, filled from the documents' clocks), the share of its allowance
    /// the first response and the resolution used (recorded from this version on; NULL for clocks stopped before) and
    /// the subcategory (filled from the documents), covered by the period index, so the on-time rate per clock, the
    /// distributions against target and the second level of the categories are summed like every other figure.
    static let clockMeasures = Migration(number: 18, name: "clock_measures") { dialect in
        let weights = ClockKind.allCases.map { "WHEN '\($0.rawValue)' THEN \(ClockOutcomes.weight($0))" }
            .joined(separator: " ")
        func outcome(clock: String, due: String, stopped: String) -> String {
            """
            (CASE \(clock) \(weights) ELSE 0 END) *
                (CASE WHEN \(stopped) IS NULL THEN 0 WHEN \(due) IS NULL OR \(stopped) <= \(due) THEN 1 ELSE 2 END)
            """
        }
        let subcategory =
            switch dialect {
            case .sqlite: "json_extract(document, '$.complaint.subcategory')"
            case .postgres: "document::jsonb #>> '{complaint,subcategory}'"
            }
        let outcomes =
            switch dialect {
            case .sqlite:
                """
                (SELECT SUM(\(outcome(
                    clock: "json_extract(value, '$.clock')", due: "json_extract(value, '$.dueAt')",
                    stopped: "json_extract(value, '$.stoppedAt')")))
                 FROM json_each(document, '$.clocks'))
                """
            case .postgres:
                """
                (SELECT SUM(\(outcome(
                    clock: "c ->> 'clock'", due: "(c ->> 'dueAt')::bigint", stopped: "(c ->> 'stoppedAt')::bigint")))
                 FROM jsonb_array_elements(document::jsonb -> 'clocks') AS t (c))
                """
            }
        return [
            "ALTER TABLE complaints ADD COLUMN clock_outcomes BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE complaints ADD COLUMN first_response_used INTEGER",
            "ALTER TABLE complaints ADD COLUMN resolution_used INTEGER",
            "ALTER TABLE complaints ADD COLUMN subcategory TEXT",
            "UPDATE complaints SET clock_outcomes = COALESCE(\(outcomes), 0), subcategory = \(subcategory)",
            "DROP INDEX complaints_period",
            """
            CREATE INDEX complaints_period ON complaints (
                received_at, channel, category, subcategory, product, department, owner, severity, priority, kind,
                state, closed_at, satisfaction, reopen_count, is_repeat, first_response_late, resolution_late,
                clock_outcomes, first_response_used, resolution_used
            )
            """,
        ]
    }

    /// 019: files sent with an outbox email (a scheduled report's workbook), base64, beside their message.
    static let outboxAttachments = Migration(number: 19, name: "outbox_attachments") { _ in
        [
            """
            CREATE TABLE outbox_attachments (
                message_id TEXT NOT NULL REFERENCES outbox (id),
                position INTEGER NOT NULL,
                file_name TEXT NOT NULL,
                content_type TEXT NOT NULL,
                content TEXT NOT NULL,
                PRIMARY KEY (message_id, position)
            )
            """
        ]
    }

    /// 020: the statistics rollup (`SQLStore+StatisticsRollup`): per business day, scope, dimension and value, the sums
    /// of every figure; the quarter hours with a change not rolled up yet (every one with a complaint, to start with);
    /// and
    /// the time zone the days were cut in.
    static let statisticsRollup = Migration(number: 20, name: "statistics_rollup") { dialect in
        let sums = MeasureSums.columns.map { "\($0.name) BIGINT NOT NULL" }.joined(separator: ",\n    ")
        // SQLite keeps the rows in their key's order, so a scope's dimension over a year is one range of one tree.
        let clustered = dialect == .sqlite ? " WITHOUT ROWID" : ""
        return [
            """
            CREATE TABLE statistics_days (
                day INTEGER NOT NULL,
                scope TEXT NOT NULL,
                dimension TEXT NOT NULL,
                value TEXT NOT NULL,
                \(sums),
                PRIMARY KEY (scope, dimension, day, value)
            )\(clustered)
            """,
            "CREATE INDEX statistics_days_day ON statistics_days (day)",
            "CREATE TABLE statistics_changes (slot BIGINT PRIMARY KEY)",
            "CREATE TABLE statistics_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            "INSERT INTO statistics_changes (slot) SELECT DISTINCT received_at / 900000 FROM complaints",
        ]
    }

    /// 021: every message a customer channel delivered (a mail, a webhook call), recorded before anything is done
    /// with it: the raw bytes are kept in the attachment storage under their digest, the row says what became of it.
    /// One row per channel and the channel's own message id, so a message delivered twice is handled once.
    static let inboundMessages = Migration(number: 21, name: "inbound_messages") { _ in
        [
            """
            CREATE TABLE inbound_messages (
                id TEXT PRIMARY KEY,
                channel TEXT NOT NULL,
                source TEXT NOT NULL,
                external_id TEXT NOT NULL,
                received_at BIGINT NOT NULL,
                raw_sha256 TEXT NOT NULL,
                raw_size BIGINT NOT NULL,
                sender TEXT,
                subject TEXT,
                status TEXT NOT NULL,
                reason TEXT,
                complaint_id TEXT,
                attempts INTEGER NOT NULL,
                updated_at BIGINT NOT NULL,
                UNIQUE (channel, external_id)
            )
            """,
            "CREATE INDEX inbound_messages_status ON inbound_messages (status, received_at)",
            "CREATE INDEX inbound_messages_received ON inbound_messages (received_at)",
            "CREATE INDEX inbound_messages_sender ON inbound_messages (channel, sender, received_at)",
        ]
    }

    /// 022: a complaint's messages read by complaint (the complaint page lists what its customer was sent), not by
    /// scanning an outbox that now grows with every intake.
    static let outboxByComplaint = Migration(number: 22, name: "outbox_by_complaint") { _ in
        ["CREATE INDEX outbox_complaint ON outbox (complaint_id, created_at)"]
    }

    /// 023: the classification model learned from the company's own classified complaints (one row, replaced when
    /// retrained), and what it suggested for each complaint at intake, kept beside the final choice the complaint's
    /// own columns hold, so the share of suggestions accepted is one join.
    static let classificationSuggestions = Migration(number: 23, name: "classification_suggestions") { _ in
        [
            """
            CREATE TABLE classification_models (
                name TEXT PRIMARY KEY,
                trained_at BIGINT NOT NULL,
                examples INTEGER NOT NULL,
                body TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE complaint_suggestions (
                complaint_id TEXT PRIMARY KEY,
                suggested_at BIGINT NOT NULL,
                model_trained_at BIGINT NOT NULL,
                category TEXT,
                subcategory TEXT,
                kind TEXT,
                priority TEXT,
                severity TEXT,
                department TEXT,
                confidences TEXT NOT NULL
            )
            """,
            "CREATE INDEX complaint_suggestions_suggested ON complaint_suggestions (suggested_at)",
        ]
    }

    /// 024: the groups of complaints alike that arrived together (possible mass incidents), one per complaint that
    /// completed the group, so two instances looking at the same complaint report it once.
    static let complaintBursts = Migration(number: 24, name: "complaint_bursts") { _ in
        [
            """
            CREATE TABLE complaint_bursts (
                id TEXT PRIMARY KEY,
                detected_at BIGINT NOT NULL,
                seed_complaint_id TEXT NOT NULL UNIQUE,
                title TEXT NOT NULL,
                members TEXT NOT NULL
            )
            """,
            "CREATE INDEX complaint_bursts_detected ON complaint_bursts (detected_at)",
        ]
    }

    /// 025: mass incidents as their own records, and on each complaint the incident it belongs to and the complaint
    /// it was merged into, so an incident lists its complaints and a complaint its merged duplicates by index. The
    /// incident codes linked before are filled in from the documents.
    static let incidents = Migration(number: 25, name: "incidents") { dialect in
        let linked =
            switch dialect {
            case .sqlite: "json_extract(document, '$.complaint.incident')"
            case .postgres: "document::jsonb #>> '{complaint,incident}'"
            }
        return [
            """
            CREATE TABLE incidents (
                id TEXT PRIMARY KEY,
                number TEXT NOT NULL UNIQUE,
                number_year INTEGER NOT NULL,
                number_sequence INTEGER NOT NULL,
                state TEXT NOT NULL,
                opened_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                version INTEGER NOT NULL,
                document TEXT NOT NULL
            )
            """,
            "CREATE INDEX incidents_state ON incidents (state, opened_at)",
            "ALTER TABLE complaints ADD COLUMN incident TEXT",
            "ALTER TABLE complaints ADD COLUMN merged_into TEXT",
            "UPDATE complaints SET incident = \(linked) WHERE document LIKE '%\"incident\"%'",
            "CREATE INDEX complaints_incident ON complaints (incident) WHERE incident IS NOT NULL",
            "CREATE INDEX complaints_merged_into ON complaints (merged_into) WHERE merged_into IS NOT NULL",
        ]
    }

    /// 026: what the header's search finds a complaint by besides its text: the order reference as a column, and
    /// indexes that find a number, phone, name, email or reference by its beginning. PostgreSQL's LIKE uses a btree
    /// only with the pattern operator class (its database collation need not be C); SQLite compares ranges.
    static let lookup = Migration(number: 26, name: "lookup") { dialect in
        let reference =
            switch dialect {
            case .sqlite: "lower(trim(json_extract(document, '$.complaint.intake.reference')))"
            case .postgres: "lower(trim(document::jsonb #>> '{complaint,intake,reference}'))"
            }
        let indexes: [String] =
            switch dialect {
            case .sqlite:
                [
                    "CREATE INDEX complaints_customer_name ON complaints (customer_name)",
                    "CREATE INDEX complaints_order_reference ON complaints (order_reference) WHERE order_reference IS NOT NULL",
                ]
            case .postgres:
                [
                    "CREATE INDEX complaints_number_prefix ON complaints (number text_pattern_ops)",
                    "CREATE INDEX complaints_customer_phone_prefix ON complaints (customer_phone text_pattern_ops)",
                    "CREATE INDEX complaints_customer_email_prefix ON complaints (customer_email text_pattern_ops)",
                    "CREATE INDEX complaints_customer_name ON complaints (customer_name text_pattern_ops)",
                    """
                    CREATE INDEX complaints_order_reference ON complaints (order_reference text_pattern_ops)
                    WHERE order_reference IS NOT NULL
                    """,
                ]
            }
        return [
            "ALTER TABLE complaints ADD COLUMN order_reference TEXT",
            "UPDATE complaints SET order_reference = \(reference) WHERE document LIKE '%\"reference\"%'",
            "UPDATE complaints SET order_reference = NULL WHERE order_reference = ''",
        ] + indexes
    }

    /// 027: the order reference as the customer gave it (trimmed), beside `order_reference`, its lowercased lookup
    /// key: a search result is read from the row's columns (`ComplaintSummary`) and shows the reference as typed.
    static let referenceAsGiven = Migration(number: 27, name: "reference_as_given") { dialect in
        let reference =
            switch dialect {
            case .sqlite: "trim(json_extract(document, '$.complaint.intake.reference'))"
            case .postgres: "trim(document::jsonb #>> '{complaint,intake,reference}')"
            }
        return [
            "ALTER TABLE complaints ADD COLUMN reference TEXT",
            "UPDATE complaints SET reference = \(reference) WHERE order_reference IS NOT NULL",
        ]
    }

    /// 028: failed sign-ins and tracking attempts, shared by every instance on the database (they were counted in
    /// each process's memory, so two instances allowed twice the guesses).
    static let failedAttempts = Migration(number: 28, name: "failed_attempts") { _ in
        [
            """
            CREATE TABLE failed_attempts (
                scope TEXT NOT NULL,
                key TEXT NOT NULL,
                at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX failed_attempts_key ON failed_attempts (scope, key, at)",
            "CREATE INDEX failed_attempts_at ON failed_attempts (scope, at)",
        ]
    }

    /// 029 (PostgreSQL): the trigram index also keys each complaint by the week it was received, so a search for the
    /// newest matches reads the matches of the last weeks first (`PostgresTextSearch.newestFirstSteps`) instead of
    /// every match of a common term: the heap rows read grow with the matches in the window, not with the database.
    /// It replaces the plain trigram index, which served the same conditions without the week.
    static let textByWeek = Migration(number: 29, name: "text_by_week") { dialect in
        switch dialect {
        case .sqlite: []
        case .postgres:
            [
                "CREATE EXTENSION IF NOT EXISTS btree_gin",
                """
                CREATE INDEX complaints_text_by_week ON complaints
                USING gin ((received_at / \(PostgresTextSearch.weekMilliseconds)),
                    (subject || ' ' || description) gin_trgm_ops)
                """,
                "DROP INDEX complaints_text_trgm",
            ]
        }
    }

    /// 030: each server instance's health checks (`HealthCheck`, SPEC §6's last line), for the daily report's health
    /// section across instances and restarts; kept about a year.
    static let healthChecks = Migration(number: 30, name: "health_checks") { _ in
        [
            """
            CREATE TABLE health_checks (
                at BIGINT NOT NULL,
                instance TEXT NOT NULL,
                document TEXT NOT NULL
            )
            """,
            "CREATE INDEX health_checks_at ON health_checks (at)",
        ]
    }

    /// 031: the monitoring check's figures are SQL aggregates (`SQLStore.monitoringFigures`), each answered from one
    /// index alone: the indexes of migration 11 now carry the columns their counts and lists read, and first contacts
    /// still owed get one. Without them each count read every row's page (3.6 s at a million complaints).
    static let monitoringCovered = Migration(number: 31, name: "monitoring_covered") { _ in
        [
            "DROP INDEX complaints_closed",
            """
            CREATE INDEX complaints_closed ON complaints (closed_at, resolution_late, resolution_due_at, number)
            WHERE closed_at IS NOT NULL
            """,
            "DROP INDEX complaints_resolution_due",
            """
            CREATE INDEX complaints_resolution_due ON complaints (resolution_due_at, closed_at, resolution_late, number)
            WHERE resolution_due_at IS NOT NULL
            """,
            "DROP INDEX complaints_verified",
            """
            CREATE INDEX complaints_verified ON complaints (verified_at, satisfaction, number)
            WHERE verified_at IS NOT NULL
            """,
            "DROP INDEX complaints_first_response_due",
            """
            CREATE INDEX complaints_first_response_due ON complaints (due_first_response, number)
            WHERE due_first_response IS NOT NULL
            """,
            """
            CREATE INDEX complaints_first_contact_due ON complaints (due_first_contact)
            WHERE due_first_contact IS NOT NULL
            """,
        ]
    }

    /// 032 (PostgreSQL): the searched text in a table of its own, kept in received order by triggers (a complaint is
    /// never deleted: its history refers to it): each
    /// complaint's subject and description lowercased (`searched`), its received-at, and a trigram index keyed by week.
    /// A search walks its newest rows, short and adjacent, instead of the wide complaints table's, and matches with
    /// LIKE what ILIKE lowered on every search (`PostgresTextSearch.searched`).
    static let searchTable = Migration(number: 32, name: "search_table") { dialect in
        switch dialect {
        case .sqlite: []
        case .postgres:
            [
                """
                CREATE TABLE complaint_search (
                    complaint_id TEXT PRIMARY KEY,
                    received_at BIGINT NOT NULL,
                    searched TEXT NOT NULL
                )
                """,
                """
                INSERT INTO complaint_search (complaint_id, received_at, searched)
                SELECT id, received_at, lower(subject || ' ' || description) FROM complaints ORDER BY received_at, id
                """,
                "CREATE INDEX complaint_search_received ON complaint_search (received_at, complaint_id)",
                """
                CREATE INDEX complaint_search_text_by_week ON complaint_search
                USING gin ((received_at / \(PostgresTextSearch.weekMilliseconds)), searched gin_trgm_ops)
                """,
                """
                CREATE FUNCTION closeloop_keep_complaint_search() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO complaint_search (complaint_id, received_at, searched)
                    VALUES (NEW.id, NEW.received_at, lower(NEW.subject || ' ' || NEW.description))
                    ON CONFLICT (complaint_id) DO UPDATE
                    SET received_at = excluded.received_at, searched = excluded.searched;
                    RETURN NULL;
                END $$
                """,
                """
                CREATE TRIGGER complaint_search_written AFTER INSERT ON complaints
                FOR EACH ROW EXECUTE FUNCTION closeloop_keep_complaint_search()
                """,
                """
                CREATE TRIGGER complaint_search_edited AFTER UPDATE OF subject, description, received_at ON complaints
                FOR EACH ROW WHEN (old.subject IS DISTINCT FROM new.subject OR old.description IS DISTINCT FROM new.description
                    OR old.received_at IS DISTINCT FROM new.received_at)
                EXECUTE FUNCTION closeloop_keep_complaint_search()
                """,
            ]
        }
    }

    /// 033 (PostgreSQL): sequences taken from the year's counter in a block and not yet given to a complaint, so
    /// concurrent intakes number without queuing on the counter row (`SequenceAllocation`). SQLite's single writer
    /// moves the counter itself.
    static let numberReservations = Migration(number: 33, name: "number_reservations") { dialect in
        switch dialect {
        case .sqlite: []
        case .postgres:
            [
                "CREATE TABLE number_reservations (year INTEGER NOT NULL, sequence BIGINT NOT NULL, PRIMARY KEY (year, sequence))"
            ]
        }
    }

    /// 035 (PostgreSQL): the complaints' week-keyed trigram index goes (0.6 KB a complaint, issue 16 item 2). Terms
    /// of three characters or more are matched in `complaint_search` since 032, and a search of two-character terms
    /// alone keeps its windows on the received-at index (`PostgresTextSearch.receivedSince`): at 100 k the planner
    /// used the bigram index and filtered by week rather than this index, and the received-at index's bitmap ANDed
    /// with the bigram one took a common pair's window from 8.0 to 3.4 ms.
    static let complaintsTextByWeekDropped = Migration(number: 35, name: "complaints_text_by_week_dropped") { dialect in
        switch dialect {
        case .sqlite: []
        case .postgres: ["DROP INDEX IF EXISTS complaints_text_by_week"]
        }
    }

    /// 037 (PostgreSQL): the number, the customer's phone and their email each had two btree indexes, one in the
    /// default operator class (equality, and the number's uniqueness) and one in `text_pattern_ops` (prefixes, 026).
    /// The pattern class answers equality too, so one each is enough: 61 MB at 500 k complaints, 0.12 KB a complaint
    /// (issue 16 item 2). SQLite has one index each already.
    static let lookupIndexesMerged = Migration(number: 37, name: "lookup_indexes_merged") { dialect in
        switch dialect {
        case .sqlite: []
        case .postgres:
            [
                "CREATE UNIQUE INDEX complaints_number_unique ON complaints (number text_pattern_ops)",
                "ALTER TABLE complaints DROP CONSTRAINT IF EXISTS complaints_number_key",
                "DROP INDEX IF EXISTS complaints_number_prefix",
                "DROP INDEX IF EXISTS complaints_customer_phone",
                "DROP INDEX IF EXISTS complaints_customer_email",
            ]
        }
    }

    /// 038 (PostgreSQL): the two GIN indexes searches and similar complaints read, the complaints' Chinese pairs and
    /// the search table's trigrams, keep a pending list of at most 256 kB instead of 4 MB. GIN adds new rows to that
    /// list and every lookup reads all of it until it is merged, so after a run of intakes a lookup read up to 4 MB:
    /// at 100 k the similar-complaint lookup took 32–42 ms with a full list and 2.5–4 ms merged, a trigram window
    /// 8–10 against 2.4 ms. With 256 kB they stayed at 4.7 and 3.0 ms after intakes, and intake at 8 clients went
    /// from 149–152 to 142–146 a second (`fastupdate = off`, no list at all, took it to 134).
    static let ginPendingListsShort = Migration(number: 38, name: "gin_pending_lists_short") { dialect in
        switch dialect {
        case .sqlite: []
        case .postgres:
            [
                "ALTER INDEX complaints_bigrams SET (gin_pending_list_limit = 256)",
                "ALTER INDEX complaint_search_text_by_week SET (gin_pending_list_limit = 256)",
            ]
        }
    }
}
