import SQLKit

/// What a complaint's history rows are keyed by: its number's year and sequence, unique and never changed once
/// given, as two integers (migration 34). The complaint's id, 36 characters, was in every row and again in every
/// entry of the key's index; these two take 8 bytes.
struct HistoryKey: Sendable, Hashable {
    var year: Int
    var sequence: Int

    init(year: Int, sequence: Int) {
        self.year = year
        self.sequence = sequence
    }

    /// From a row with the complaint's `number_year` and `number_sequence`.
    init(_ row: any SQLRow) throws {
        year = try row.decode(column: "number_year", as: Int.self)
        sequence = try row.decode(column: "number_sequence", as: Int.self)
    }

    /// The join of a complaint (`c`) to its history rows (`e`).
    static let joined = "c.number_year = e.number_year AND c.number_sequence = e.number_sequence"
}
