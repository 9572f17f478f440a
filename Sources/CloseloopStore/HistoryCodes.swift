/// An event's type and its actor's kind as a history row keeps them: each known one as one letter instead of its
/// name (`customer_contacted`, 18 bytes in every row of that type; about 0.4 KB a complaint in the bench's
/// histories), any other as its name. The names are at least five characters long, so one character is always a
/// code. The tables are part of the stored format: a name keeps its letter for ever, new names take the next
/// letters.
enum HistoryCodes {
    static let types = [
        "received", "completeness_checked", "information_provided", "validity_decided", "request_answered",
        "assigned", "reassigned", "reclassified", "customer_contacted", "analysis_submitted", "solution_proposed",
        "approval_decided", "customer_responded", "progress_recorded", "result_returned", "verified",
        "return_visit_recorded", "closed", "reopened", "delay_requested", "delay_decided", "note_added",
        "incident_linked", "merged", "duplicate_merged", "mention_confirmed", "case_written", "archived",
        "message_received", "customer_updated", "update_preference_set", "clock_alerted",
    ]

    static let actorKinds = ["staff", "customer", "system"]

    /// The letter of each table's first, second… name.
    static let letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".map(String.init)

    /// What a row keeps for `name`, a name of `table`.
    static func stored(_ name: String, in table: [String]) -> String {
        table.firstIndex(of: name).map { letters[$0] } ?? name
    }

    /// The name a row's `stored` value stands for.
    static func name(_ stored: String, in table: [String]) -> String {
        guard stored.utf8.count == 1, let index = letters.firstIndex(of: stored), index < table.count else {
            return stored
        }
        return table[index]
    }
}
