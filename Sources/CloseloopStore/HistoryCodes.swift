/// An event's type and its actor's kind as a history row keeps them: each known one as one letter instead of its
/// name (`customer_contacted`, 18 bytes in every row of that type; about 0.4 KB a complaint in the bench's
/// histories), any other as its name. The names are at least five characters long, so one character is always a
/// code. The tables are part of the stored format: a name keeps its letter for ever, new names take the next
/// letters.
struct HistoryCodes: Sendable {
    static let types = HistoryCodes([
        "received", "completeness_checked", "information_provided", "validity_decided", "request_answered",
        "assigned", "reassigned", "reclassified", "customer_contacted", "analysis_submitted", "solution_proposed",
        "approval_decided", "customer_responded", "progress_recorded", "result_returned", "verified",
        "return_visit_recorded", "closed", "reopened", "delay_requested", "delay_decided", "note_added",
        "incident_linked", "merged", "duplicate_merged", "mention_confirmed", "case_written", "archived",
        "message_received", "customer_updated", "update_preference_set", "clock_alerted",
    ])

    static let actorKinds = HistoryCodes(["staff", "customer", "system"])

    /// The letter of a table's first, second… name.
    static let letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".map(String.init)

    /// The names in the order of their letters.
    let names: [String]
    private let letterOfName: [String: String]
    private let nameOfLetter: [String: String]

    init(_ names: [String]) {
        precondition(names.count <= Self.letters.count, "more names than letters")
        self.names = names
        let pairs = zip(names, Self.letters)
        letterOfName = Dictionary(uniqueKeysWithValues: pairs.map { ($0, $1) })
        nameOfLetter = Dictionary(uniqueKeysWithValues: pairs.map { ($1, $0) })
    }

    /// What a row keeps for `name`.
    func stored(_ name: String) -> String { letterOfName[name] ?? name }

    /// The name a row's `stored` value stands for.
    func name(_ stored: String) -> String { nameOfLetter[stored] ?? stored }

    /// Each name with its letter, in order (migration 34 writes them in SQL).
    var pairs: [(name: String, letter: String)] { zip(names, Self.letters).map { ($0, $1) } }
}
