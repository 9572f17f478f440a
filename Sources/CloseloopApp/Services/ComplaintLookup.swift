import CloseloopCore
import CloseloopStore
import Foundation

/// The header's one search box: a complaint by its number (whole or its beginning), its customer's phone (any
/// format), name or email, its order reference or its words, ranked in that order; and the history of each customer
/// the words name. One service so the pages and the API find alike.
public struct ComplaintLookup: Sendable {
    let store: SQLStore
    /// Whose customer history the intake form shows too (`customerHistory`).
    let complaints: ComplaintService

    /// Why a complaint is in the results, strongest first.
    public enum Match: String, Sendable, CaseIterable, Comparable {
        case number, phone, email, reference, name, text

        public static func < (lhs: Match, rhs: Match) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    /// A complaint found, as a list shows it (`ComplaintSummary`), and why.
    public struct Hit: Sendable {
        public var complaint: ComplaintSummary
        public var match: Match
    }

    /// One customer the query names, with every complaint they filed (newest first, at most `historyLimit`).
    public struct Customer: Sendable {
        public var name: String
        /// Digits as stored (`PhoneKey`).
        public var phone: String?
        /// Lowercased.
        public var email: String?
        public var complaints: [ComplaintSummary]
        public var openCount: Int { complaints.filter(\.state.isOpen).count }
    }

    public struct Result: Sendable {
        /// The complaint whose number is the query, when there is one: the page opens it at once.
        public var exact: ComplaintSummary?
        public var hits: [Hit]
        public var customers: [Customer]

        /// What an empty search box shows: nothing yet.
        public static let nothing = Result(exact: nil, hits: [], customers: [])
    }

    /// At most this many complaints per way of matching, and customers shown with their history.
    public static let perMatchLimit = 20
    public static let customerLimit = 3
    public static let historyLimit = 20

    /// What `query` finds; a blank query is refused (`q` required).
    public func find(_ query: String) async throws -> Result {
        let key = LookupKey(query)
        guard !key.text.isEmpty else { throw DomainError.validation([.required("q")]) }
        var hits: [Hit] = []
        var exact: ComplaintSummary?
        func add(_ found: [ComplaintSummary], _ match: Match) { hits += found.map { Hit(complaint: $0, match: match) } }
        let limit = Self.perMatchLimit
        if let number = key.number {
            // The whole number first: a prefix's newest twenty need not include it once numbers outgrow their width.
            exact = try await store.record(number: number).map(ComplaintSummary.init)
            add(exact.map { [$0] } ?? [], .number)
            add(try await store.summaries(where: .number, beginsWith: number, limit: limit), .number)
        }
        if let phone = key.phone {
            add(try await store.summaries(where: .phone, beginsWith: phone, limit: limit), .phone)
        }
        if let email = key.email {
            add(try await store.summaries(where: .email, beginsWith: email, limit: limit), .email)
        }
        if let reference = key.reference {
            add(try await store.summaries(where: .reference, beginsWith: reference, limit: limit), .reference)
        }
        if let name = key.name { add(try await store.summaries(where: .name, beginsWith: name, limit: limit), .name) }
        if SearchTerms.split(key.text).contains(where: SearchTerms.isIndexable) {
            var text = ComplaintQuery()
            text.text = key.text
            text.limit = limit
            add(try await store.summaries(text).summaries, .text)
        }
        // Each complaint once, under its strongest match; within a match, newest first (as each lookup returned).
        var seen = Set<ComplaintID>()
        let ranked = hits.enumerated().sorted { ($0.element.match, $0.offset) < ($1.element.match, $1.offset) }
            .map(\.element).filter { seen.insert($0.complaint.id).inserted }
        return Result(exact: exact, hits: ranked, customers: try await customers(in: ranked))
    }

    /// The customers the phone, email or name matches name, each with their whole history: found again by their
    /// phone and email, as the intake form finds a caller's, so complaints filed under a different name still show.
    private func customers(in hits: [Hit]) async throws -> [Customer] {
        var customers: [Customer] = []
        var seen = Set<String>()
        for hit in hits where [.phone, .email, .name].contains(hit.match) {
            guard customers.count < Self.customerLimit else { break }
            let found = hit.complaint
            let identity: String
            if let phone = found.customerPhone, !phone.isEmpty {
                identity = "phone:" + phone
            } else if let email = found.customerEmail, !email.isEmpty {
                identity = "email:" + email
            } else {
                continue
            }
            guard seen.insert(identity).inserted else { continue }
            let history = try await complaints.customerHistory(
                phone: found.customerPhone, email: found.customerEmail, limit: Self.historyLimit)
            customers.append(
                Customer(
                    name: found.customerName, phone: found.customerPhone, email: found.customerEmail,
                    complaints: history))
        }
        return customers
    }
}
