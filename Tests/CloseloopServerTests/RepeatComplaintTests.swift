import CloseloopApp
import CloseloopServer
import CloseloopTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// 重复投诉 (SPEC §2): the same customer about the same issue within the window is a repeat and at least major.
@Suite("Repeat complaints")
struct RepeatComplaintTests {
    @Test(
        "A repeat of the same customer's complaint is recorded and raised to major", arguments: DatabaseKind.available)
    func repeatRaisesSeverity(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let first = try await server.createComplaint()
            // The customer calls again, from the same phone written another way.
            let again = try await server.createComplaint([
                "repeatOf": first.number,
                "customer": ["name": "周女士", "phone": "+86 138 0013 8001"] as [String: any Sendable],
            ])
            #expect(again.repeatOf == first.number)
            #expect(again.severity == "major")
            #expect(first.severity == "dissatisfied")
        }
    }

    @Test(
        "A repeat must name an existing complaint of the same customer",
        arguments: DatabaseKind.available
    )
    func repeatOfOtherCustomer(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let first = try await server.createComplaint()
            let stranger = ["name": "吴先生", "phone": "13900139002"] as [String: any Sendable]
            for (number, code) in [(first.number, "other_customer"), ("999999999", "unknown_complaint")] {
                let problem = try await server.send(
                    .post, "/complaints", as: Staff.agent,
                    json: TestServer.complaintFields(["repeatOf": number, "customer": stranger])
                ).problem(.unprocessableContent)
                #expect(problem.code == "validation.failed")
                #expect(problem.errors?.first { $0.field == "repeatOf" }?.code == code)
            }
        }
    }
}
