/// 单号: the pattern a complaint number follows, e.g. `{YY}{MM}{DD}{SEQ:3}` gives `250912099` for the 99th
/// complaint of 2025, received 12 Sep. The sequence counts per year and widens past its width instead of wrapping.
public struct ComplaintNumbering: Hashable, Codable, Sendable {
    public var pattern: String

    public init(pattern: String) { self.pattern = pattern }

    public static let standard = ComplaintNumbering(pattern: "{YY}{MM}{DD}{SEQ:3}")

    /// The number for the `sequence`th complaint of the year, received on `date` (in the business calendar's zone).
    public func format(sequence: Int, on date: LocalDate) -> String {
        var result = ""
        var rest = Substring(pattern)
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            let token = rest[rest.index(after: open)..<close]
            result += expand(token, sequence: sequence, date: date)
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    /// The counter a complaint received in `year` takes its sequence from. The sequence counts per year *as the number
    /// shows it*: per year with `{YYYY}`; per two-digit year with `{YY}` (1926 and 2026 share one, so their numbers
    /// never collide; it is kept under the year of this century with those digits, as counters always were); one
    /// counter for all time when the pattern shows no year.
    public func counter(forYear year: Int) -> Int {
        if pattern.contains("{YYYY}") { return year }
        if pattern.contains("{YY}") { return 2000 + ((year % 100) + 100) % 100 }
        return 0
    }

    private func expand(_ token: Substring, sequence: Int, date: LocalDate) -> String {
        switch token {
        case "YYYY": return String(date.year)
        case "YY": return pad(date.year % 100, 2)
        case "MM": return pad(date.month, 2)
        case "DD": return pad(date.day, 2)
        default:
            if token.hasPrefix("SEQ") {
                let width = token.split(separator: ":").dropFirst().first.flatMap { Int($0) } ?? 1
                return pad(sequence, width)
            }
            return "{\(token)}"
        }
    }

    private func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// Configuration problems: the pattern must carry the sequence, or numbers would repeat.
    public func problems() -> [String] {
        var problems: [String] = []
        if !pattern.contains("{SEQ") { problems.append("the number pattern must contain {SEQ} or {SEQ:n}") }
        let known = ["YYYY", "YY", "MM", "DD"]
        var rest = Substring(pattern)
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else {
                problems.append("the number pattern has an unclosed {")
                break
            }
            let token = rest[rest.index(after: open)..<close]
            let isSequence =
                token == "SEQ"
                || (token.hasPrefix("SEQ:") && Int(token.dropFirst(4)).map { (1...12).contains($0) } == true)
            if !known.contains(String(token)) && !isSequence {
                problems.append("the number pattern has an unknown token {\(token)}")
            }
            rest = rest[rest.index(after: close)...]
        }
        return problems
    }
}
