import CloseloopCore
import CloseloopStore
import Foundation

/// Imports complaints from CSV: every row is checked first and nothing is written unless all rows are valid;
/// each row carries an idempotency key derived from the file, so importing the same file twice adds nothing.
public struct ComplaintImport: Sendable {
    /// The columns understood, by header name; `subject`, `description`, `customer_name` and `channel` are required.
    public static let columns = [
        "channel", "kind", "customer_name", "customer_phone", "customer_email", "customer_id", "reference", "product",
        "subject", "description", "priority", "severity", "received_at",
    ]

    /// One row that cannot be imported and why.
    public struct RowProblem: Sendable, CustomStringConvertible {
        public var line: Int
        public var messages: [String]
        public var description: String { "row \(line): " + messages.joined(separator: "; ") }
    }

    /// What an import did.
    public struct Outcome: Sendable {
        public var created: Int
        public var alreadyImported: Int
    }

    public let service: ComplaintService

    public init(service: ComplaintService) { self.service = service }

    /// Checks every row; returns the intakes or throws `ImportError.invalidRows` with every problem.
    public func check(_ text: String) throws -> [(line: Int, intake: Intake, receivedAt: Date?)] {
        let rows = try CSVFormat.rows(text)
        guard let header = rows.first else { throw ImportError.empty }
        let names = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let unknown = names.filter { !Self.columns.contains($0) }
        guard unknown.isEmpty else { throw ImportError.unknownColumns(unknown) }
        let index = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var problems: [RowProblem] = []
        var intakes: [(Int, Intake, Date?)] = []
        for (offset, row) in rows.dropFirst().enumerated() {
            let line = offset + 2
            if row.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            func value(_ column: String) -> String? {
                guard let position = index[column], position < row.count else { return nil }
                let text = row[position].trimmingCharacters(in: .whitespacesAndNewlines)
                return text.isEmpty ? nil : text
            }
            var messages: [String] = []
            // Spreadsheets write every column on every row; a different count is a quote left open or a stray comma,
            // and reading on would put text in the wrong column.
            if row.count != header.count {
                messages.append(
                    "has \(row.count) field(s) where the header has \(header.count) (a quote left open or a stray comma?)"
                )
            }
            func parse<T: RawRepresentable>(_ column: String, as type: T.Type, default fallback: T?) -> T?
            where T.RawValue == String {
                guard let text = value(column) else {
                    if fallback == nil { messages.append("\(column) is required") }
                    return fallback
                }
                guard let parsed = T(rawValue: text) else {
                    messages.append("\(column) '\(text)' is not one of the known values")
                    return fallback
                }
                return parsed
            }
            let channel = parse("channel", as: Channel.self, default: nil)
            let kind = parse("kind", as: ComplaintKind.self, default: .complaint)
            let priority = parse("priority", as: Priority.self, default: .p2)
            let severity = parse("severity", as: Severity.self, default: .dissatisfied)
            var receivedAt: Date?
            if let text = value("received_at") {
                receivedAt = ISO8601DateFormatter().date(from: text)
                if receivedAt == nil { messages.append("received_at '\(text)' is not an ISO 8601 instant") }
            }
            let intake = Intake(
                channel: channel ?? .letter, kind: kind ?? .complaint,
                customer: CustomerDetails(
                    name: value("customer_name") ?? "", phone: value("customer_phone"), email: value("customer_email"),
                    customerID: value("customer_id")),
                reference: value("reference"), product: value("product"), subject: value("subject") ?? "",
                description: value("description") ?? "", priority: priority ?? .p2, severity: severity ?? .dissatisfied)
            messages += intake.problems().map { "\($0.field) \($0.message.en)" }
            if messages.isEmpty {
                intakes.append((line, intake, receivedAt))
            } else {
                problems.append(RowProblem(line: line, messages: messages))
            }
        }
        guard problems.isEmpty else { throw ImportError.invalidRows(problems) }
        return intakes.map { (line: $0.0, intake: $0.1, receivedAt: $0.2) }
    }

    /// Checks, then creates every row as `actor`.
    public func run(_ text: String, by actor: Actor) async throws -> Outcome {
        let rows = try check(text)
        let fileDigest = Digest.sha256(text)
        var outcome = Outcome(created: 0, alreadyImported: 0)
        for row in rows {
            let (_, replayed) = try await service.create(
                row.intake, receivedAt: row.receivedAt, idempotencyKey: "import:\(fileDigest):\(row.line)",
                origin: .archive,
                by: actor)
            if replayed { outcome.alreadyImported += 1 } else { outcome.created += 1 }
        }
        return outcome
    }
}

/// Why an import file was refused as a whole.
public enum ImportError: Error, CustomStringConvertible {
    case empty
    case unknownColumns([String])
    case invalidRows([ComplaintImport.RowProblem])

    public var description: String {
        switch self {
        case .empty: "the file is empty"
        case .unknownColumns(let names):
            "unknown columns: \(names.joined(separator: ", ")); known: \(ComplaintImport.columns.joined(separator: ", "))"
        case .invalidRows(let problems):
            "nothing was imported; fix these rows:\n" + problems.map(\.description).joined(separator: "\n")
        }
    }
}
