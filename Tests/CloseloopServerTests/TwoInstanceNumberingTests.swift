@_spi(Tools) import CloseloopApp
import CloseloopCore
import CloseloopStore
import CloseloopTestSupport
import Foundation
import Testing

/// Complaint numbers stay gap-free and unique when two server instances take complaints into one database at once
/// (issue 16 item 1): each instance has its own connections, and neither waits for the other's intakes to commit.
@Suite("Numbering across instances")
struct TwoInstanceNumberingTests {
    @Test(
        "Eighty complaints taken at once by two instances get the numbers 001 to 080, each once",
        arguments: DatabaseKind.available)
    func concurrentIntakeOnTwoInstances(kind: DatabaseKind) async throws {
        try await withTwoInstances(kind) { first, second, _ in
            let taken = try await withThrowingTaskGroup(of: ComplaintRecord.self) { group in
                for index in 0..<80 {
                    let instance = index.isMultiple(of: 2) ? first : second
                    group.addTask {
                        let intake = Intake(
                            channel: .phone,
                            customer: CustomerDetails(name: "客户\(index)", phone: "1380013\(4000 + index)"),
                            subject: "两台服务器同时受理 \(index)", description: "同一时刻由两个实例受理的投诉，编号不得重复或跳号。")
                        return try await instance.complaints.create(intake, by: .system).record
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let numbers = taken.map(\.complaint.number)
            #expect(Set(numbers).count == 80)
            // The default pattern is {YY}{MM}{DD}{SEQ:3}: the sequence is what follows the six date digits.
            let sequences = numbers.compactMap { Int($0.dropFirst(6)) }.sorted()
            #expect(sequences == Array(1...80))
            for record in taken {
                let number = record.complaint.number
                #expect(try await second.store.record(number: number)?.complaint.id == record.complaint.id, "\(number)")
            }
            #expect(try await first.store.verifyHistory().isIntact)
            // The next complaint, on either instance, continues the count.
            let next = try await first.complaints.create(
                Intake(
                    channel: .web, customer: CustomerDetails(name: "后来的客户", phone: "13800135000"), subject: "之后的投诉",
                    description: "两台实例受理完之后的第一件投诉。"),
                by: .system
            ).record
            #expect(next.complaint.number.dropFirst(6) == "081")
        }
    }
}
