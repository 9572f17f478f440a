import CloseloopCore
import CloseloopStore
import Foundation

/// Exports complaints as CSV with a UTF-8 byte-order mark, so Excel opens Chinese text correctly.
public struct ComplaintExport: Sendable {
    public static let header = [
        "number", "received_at", "state", "resolution", "kind", "channel", "priority", "severity", "category",
        "department", "owner", "customer_name", "customer_phone", "customer_email", "reference", "product", "subject",
        "description", "closed_at", "satisfaction", "reopen_count", "next_due_at",
    ]

    public let store: SQLStore

    init(store: SQLStore) { self.store = store }

    /// Writes every complaint matching `query` (page by page) through `write`. Phones and emails are masked unless
    /// `includePersonalData`.
    public func run(
        _ query: ComplaintQuery = ComplaintQuery(), includePersonalData: Bool, write: (String) throws -> Void
    ) async throws -> Int {
        let formatter = ISO8601DateFormatter()
        func instant(_ date: Date?) -> String { date.map { formatter.string(from: $0) } ?? "" }
        try write(CSVFormat.byteOrderMark + CSVFormat.text([Self.header]))
        var query = query
        query.limit = 200
        query.acceptsLag = true
        var count = 0
        while true {
            let page = try await store.list(query)
            var rows: [[String]] = []
            for record in page.records {
                let complaint = record.complaint
                let customer = complaint.intake.customer
                rows.append([
                    complaint.number, instant(complaint.receivedAt), complaint.state.rawValue,
                    complaint.resolution?.rawValue ?? "", complaint.kind.rawValue,
                    complaint.intake.channel.rawValue,
                    complaint.priority.rawValue, complaint.severity.rawValue, complaint.category ?? "",
                    complaint.department?.rawValue ?? "", complaint.owner?.rawValue ?? "", customer.name,
                    customer.phone.map { includePersonalData ? $0 : Masking.phone($0) } ?? "",
                    customer.email.map { includePersonalData ? $0 : Masking.email($0) } ?? "",
                    complaint.intake.reference ?? "", complaint.intake.product ?? "", complaint.intake.subject,
                    complaint.intake.description, instant(complaint.closedAt),
                    complaint.satisfaction.map(String.init) ?? "", String(complaint.reopenCount),
                    instant(record.nextDueAt),
                ])
            }
            try write(CSVFormat.text(rows))
            count += rows.count
            guard let next = page.nextCursor else { return count }
            query.cursor = next
        }
    }
}
