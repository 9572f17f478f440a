import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation
import Hummingbird

/// The header's search box: a caller quotes a number, a phone, a name, an email or an order reference, and the
/// agent lands on the complaint, or on the customer's history and the complaints that match, ranked.
struct SearchPages {
    let app: WebApp

    func register(on web: RouterGroup<AppRequestContext>) {
        web.get("/search") { request, _ in try await search(request) }
    }

    private func search(_ request: Request) async throws -> Response {
        _ = try app.state.requireStaff()
        // Form-decoded: a browser sends the spaces of "+86 139 …" as "+".
        let query = String((FormEncoding.decode(request.uri.query ?? "")["q"]?.first ?? "").prefix(200))
        let asked = !query.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        let result =
            asked
            ? try await app.services.lookup.find(query) : .nothing
        // A number quoted whole opens its complaint: the caller's next question is about it.
        if let exact = result.exact, LookupKey(query).number == exact.number {
            return WebRenderer.redirect(to: "/complaints/\(exact.number)")
        }
        let directory = try await app.directory()
        let (_, calendar) = await app.services.settings.current()
        let formatting = WebFormatting(calendar: calendar, language: app.state.language, strings: app.renderer.strings)
        func row(_ complaint: ComplaintSummary, match: ComplaintLookup.Match? = nil) -> [String: Any] {
            var row: [String: Any] = [
                "number": complaint.number, "subject": complaint.subject,
                "customer": complaint.customerName, "state": app.text(complaint.state.label),
                "stateCode": complaint.state.rawValue, "priority": complaint.priority.rawValue,
                "department": directory.departmentName(complaint.department),
                "received": formatting.dateTime(complaint.receivedAt),
                "reference": complaint.reference ?? "",
            ]
            if let match { row["match"] = app.t("search_match_\(match.rawValue)") }
            return row
        }
        let customers: [[String: Any]] = result.customers.map { customer in
            [
                "name": customer.name,
                "contact": customer.phone.map(Masking.phone) ?? customer.email.map(Masking.email) ?? "",
                "summary": app.t(
                    "search_customer_summary",
                    ["count": "\(customer.complaints.count)", "open": "\(customer.openCount)"]),
                "complaints": customer.complaints.map { row($0) },
            ]
        }
        let context: [String: Any] = [
            "title": query.isEmpty ? app.t("search_title") : app.t("search_title_for", ["query": query]),
            "searchQuery": query, "asked": asked,
            "customers": customers, "hasCustomers": !customers.isEmpty,
            "hits": result.hits.map { row($0.complaint, match: $0.match) }, "empty": result.hits.isEmpty,
            "count": app.t("search_count", ["count": "\(result.hits.count)"]),
        ]
        return app.page("search", context)
    }
}
