import CloseloopCore
import CloseloopStore
import Foundation

/// A customer's earlier complaints, found by the phone (in any format: `PhoneKey`) or the email they give: what the
/// intake form shows while the agent types, and what the repeat check looks through before saving.
extension ComplaintService {
    /// Newest first, each complaint once, at most `limit`; `since` keeps only those received from then on. A phone too
    /// short to name anyone, or an email that is not one, finds nothing.
    public func customerHistory(phone: String?, email: String?, since: Date? = nil, limit: Int = 10) async throws
        -> [ComplaintSummary]
    {
        var found: [ComplaintSummary] = []
        if let phone, PhoneKey.normalized(phone).count >= Self.shortestPhone {
            var query = ComplaintQuery()
            query.customerPhone = phone
            query.receivedFrom = since
            query.limit = limit
            found += try await store.summaries(query).summaries
        }
        if let email = email?.trimmingCharacters(in: .whitespaces), ContactFormat.isEmail(email) {
            var query = ComplaintQuery()
            query.customerEmail = email
            query.receivedFrom = since
            query.limit = limit
            let known = Set(found.map(\.id))
            found += try await store.summaries(query).summaries.filter { !known.contains($0.id) }
        }
        return Array(found.sorted { $0.receivedAt > $1.receivedAt }.prefix(limit))
    }

    /// Fewer digits than a landline without its area code name nobody in particular.
    static let shortestPhone = 7
}
