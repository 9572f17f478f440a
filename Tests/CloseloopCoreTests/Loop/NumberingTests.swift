import CloseloopCore
import Testing

@Suite("Complaint numbers (单号)")
struct NumberingTests {
    static let twelfthOfSeptember = LocalDate(year: 2025, month: 9, day: 12)

    @Test(
        "The standard pattern is YYMMDD and a three-digit sequence that widens instead of wrapping",
        arguments: [
            (1, "250912001"), (99, "250912099"), (999, "250912999"), (1000, "2509121000"), (123_456, "250912123456"),
        ]
    )
    func standard(sequence: Int, number: String) {
        #expect(ComplaintNumbering.standard.format(sequence: sequence, on: Self.twelfthOfSeptember) == number)
    }

    @Test(
        "Custom patterns",
        arguments: [
            ("CL-{YYYY}-{SEQ:6}", 99, "CL-2025-000099"),
            ("{YYYY}{MM}{DD}{SEQ}", 7, "202509127"),
            ("TS{YY}{SEQ:4}", 12_345, "TS2512345"),
            ("{DD}/{MM}/{YY}#{SEQ:2}", 3, "12/09/25#03"),
            ("{YY}{MM}{DD}{SEQ:3}", 5, "250912005"),
        ]
    )
    func custom(pattern: String, sequence: Int, number: String) {
        let numbering = ComplaintNumbering(pattern: pattern)
        #expect(numbering.problems().isEmpty)
        #expect(numbering.format(sequence: sequence, on: Self.twelfthOfSeptember) == number)
    }

    @Test("January pads month and day", arguments: [LocalDate(year: 2026, month: 1, day: 5)])
    func padding(date: LocalDate) {
        #expect(ComplaintNumbering.standard.format(sequence: 1, on: date) == "260105001")
    }

    @Test(
        "A pattern without a sequence, or with tokens nobody knows, is refused",
        arguments: [
            ("{YY}{MM}{DD}", ["the number pattern must contain {SEQ} or {SEQ:n}"]),
            ("{YY}{HH}{SEQ:3}", ["the number pattern has an unknown token {HH}"]),
            ("{YY}{SEQ:0}", ["the number pattern has an unknown token {SEQ:0}"]),
            ("{YY}{SEQ:x}", ["the number pattern has an unknown token {SEQ:x}"]),
            ("{YY}{SEQ:3", ["the number pattern has an unclosed {"]),
            ("CL-", ["the number pattern must contain {SEQ} or {SEQ:n}"]),
            (
                "{yy}{Q}",
                [
                    "the number pattern must contain {SEQ} or {SEQ:n}", "the number pattern has an unknown token {yy}",
                    "the number pattern has an unknown token {Q}",
                ]
            ),
        ]
    )
    func problems(pattern: String, problems: [String]) {
        #expect(ComplaintNumbering(pattern: pattern).problems() == problems)
    }

    @Test("The standard numbering has no problems and is the default policy's")
    func standardIsValid() {
        #expect(ComplaintNumbering.standard.problems().isEmpty)
        #expect(ServicePolicy.standard.numbering == .standard)
    }
}
