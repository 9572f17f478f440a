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

    public struct Hit: Sendable {
        public var record: ComplaintRecord
        public var match: Match
    }

    /// One customer the query names, with every complaint they filed (newest first, at most `historyLimit`).
    public struct Customer: Sendable {
        public var name: String
        public var phone: String?
        public var email: String?
        public var complaints: [ComplaintRecord]
        public var openCount: Int { complaints.filter { $0.complaint.state.isOpen }.count }
    }

    public struct Result: Sendable {
        /// The complaint whose number is the query, when there is one: the page opens it at once.
        public var exact: ComplaintRecord?
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
        var exact: ComplaintRecord?
        if let number = key.number { exact = try await store.record(number: number) }

        var hits: [Hit] = exact.map { [Hit(record: $0, match: .number)] } ?? []
        func add(_ records: [ComplaintRecord], _ match: Match) {
            hits += records.map { Hit(record: $0, match: match) }
        }
        let limit = Self.perMatchLimit
        if let number = key.number {
            add(try await store.complaints(where: .number, beginsWith: number, limit: limit), .number)
        }
        if let phone = key.phone {
            add(try await store.complaints(where: .phone, beginsWith: phone, limit: limit), .phone)
        }
        if let email = key.email {
            add(try await store.complaints(where: .email, beginsWith: email, limit: limit), .email)
        }
        if let reference = key.reference {
            add(try await store.complaints(where: .reference, beginsWith: reference, limit: limit), .reference)
        }
        if let name = key.name { add(try await store.complaints(where: .name, beginsWith: name, limit: limit), .name) }
        if SearchTerms.split(key.text).contains(where: SearchTerms.isIndexable) {
            var text = ComplaintQuery()
            text.text = key.text
            text.limit = limit
            add(try await store.list(text).records, .text)
        }
        // Each complaint once, under its strongest match; within a match, newest first (as each lookup returned).
        var seen = Set<ComplaintID>()
        let ranked = hits.enumerated().sorted { ($0.element.match, $0.offset) < ($1.element.match, $1.offset) }
            .map(\.element).filter { seen.insert($0.record.complaint.id).inserted }
        return Result(exact: exact, hits: ranked, customers: try await customers(in: ranked))
    }

    /// The customers the phone, email or name matches name, each with their whole history: found again by their
    /// phone and email, as the intake form finds a caller's, so complaints filed under a different name still show.
    private func customers(in hits: [Hit]) async throws -> [Customer] {
        var customers: [Customer] = []
        var seen = Set<String>()
        for hit in hits where [.phone, .email, .name].contains(hit.match) {
            guard customers.count < Self.customerLimit else { break }
            let details = hit.record.complaint.intake.customer
            let identity: String
            if let phone = details.phone, !phone.isEmpty {
                identity = "phone:" + PhoneKey.normalized(phone)
            } else if let email = details.email, !email.isEmpty {
                identity = "email:" + email.lowercased()
            } else {
                continue
            }
            guard seen.insert(identity).inserted else { continue }
            let history = try await complaints.customerHistory(
                phone: details.phone, email: details.email, limit: Self.historyLimit)
            customers.append(
                Customer(name: details.name, phone: details.phone, email: details.email, complaints: history))
        }
        return customers
    }
}
