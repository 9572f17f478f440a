import CloseloopAPI
import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation

/// The header search's lookup over the API: what a caller quotes, for a call centre's telephony to pop up.
extension APIHandler {
    func lookUp(_ input: Operations.LookUp.Input) async throws -> Operations.LookUp.Output {
        let user = try requireStaff()
        let result = try await services.lookup.find(input.query.q)
        let presentation = await presentation(for: user)
        let results: [Components.Schemas.LookupHit] = result.hits.map {
            .init(match: .init(rawValue: $0.match.rawValue)!, complaint: presentation.summary($0.complaint))
        }
        let customers: [Components.Schemas.LookupCustomer] = result.customers.map { customer in
            .init(
                name: customer.name, phone: customer.phone.map(Masking.phone),
                email: customer.email.map(Masking.email), openCount: customer.openCount,
                complaints: customer.complaints.map(\.number))
        }
        return .ok(
            .init(
                body: .json(
                    .init(exact: result.exact?.number, results: results, customers: customers))))
    }
}
