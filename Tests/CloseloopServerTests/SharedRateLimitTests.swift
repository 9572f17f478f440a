@_spi(Tools) import CloseloopApp
import CloseloopCore
import CloseloopStore
import CloseloopTestSupport
import Foundation
import Testing

/// Sign-in and tracking limits hold across server instances (issue 16 item 6): two instances on one database allow
/// what one does, since the failures are counted in the database rather than in each process.
@Suite("Rate limits shared by instances")
struct SharedRateLimitTests {
    @Test(
        "Five failed sign-ins spread over two instances lock the username on both until the window passes",
        arguments: DatabaseKind.available)
    func signIn(kind: DatabaseKind) async throws {
        try await withTwoInstances(kind) { first, second, time in
            let password = "the-right-password"
            try await first.store.createUser(
                UserAccount(
                    id: UserID("lina"), username: "lina", displayName: "李娜",
                    passwordHash: first.passwords.hash(password), department: nil,
                    grants: [RoleGrant(.agent)], language: .zhHans, active: true, createdAt: time.now()))
            for (attempt, instance) in [first, second, first, second, first].enumerated() {
                await #expect(throws: SignInRefusal.badCredentials, "attempt \(attempt + 1)") {
                    try await instance.signIn.check(username: "lina", password: "a-guess-\(attempt)")
                }
            }
            for instance in [first, second] {
                await #expect(throws: SignInRefusal.rateLimited) {
                    try await instance.signIn.check(username: "LINA", password: password)
                }
            }
            time.advance(by: 5 * 60 + 1)
            #expect(try await second.signIn.check(username: "lina", password: password).username == "lina")
        }
    }

    @Test(
        "Ten wrong phones for one number over two instances stop the eleventh try on either",
        arguments: DatabaseKind.available)
    func tracking(kind: DatabaseKind) async throws {
        try await withTwoInstances(kind) { first, second, time in
            let intake = Intake(
                channel: .phone, customer: CustomerDetails(name: "周女士", phone: "13800138001"), subject: "空调不制冷",
                description: "新买的空调开机不制冷")
            let created = try await first.complaints.create(intake, by: .system)
            let number = created.record.complaint.number
            for guess in 0..<10 {
                let instance = guess.isMultiple(of: 2) ? first : second
                await #expect(throws: TrackingRefusal.notFound) {
                    try await instance.tracking.complaint(number: number, phone: "1390000\(1000 + guess)")
                }
            }
            for instance in [first, second] {
                await #expect(throws: TrackingRefusal.rateLimited) {
                    try await instance.tracking.complaint(number: number, phone: "13800138001")
                }
            }
            time.advance(by: 15 * 60 + 1)
            #expect(
                try await second.tracking.complaint(number: number, phone: "138 0013 8001").complaint.number == number)
        }
    }
}
