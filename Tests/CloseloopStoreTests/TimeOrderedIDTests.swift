import CloseloopStore
import Foundation
import Testing

/// Complaint ids are version-7 UUIDs: valid UUIDs whose text sorts by the millisecond they were made.
@Suite("Time-ordered ids")
struct TimeOrderedIDTests {
    @Test("An id is a lowercase version-7 UUID carrying its millisecond")
    func format() throws {
        let instant = Date(timeIntervalSince1970: 1_790_000_000.123)
        let id = TimeOrderedID.make(at: instant)
        let uuid = try #require(UUID(uuidString: id))
        #expect(id == uuid.uuidString.lowercased())
        let parts = id.split(separator: "-").map(String.init)
        #expect(parts.map(\.count) == [8, 4, 4, 4, 12])
        #expect(parts[2].first == "7")
        #expect(["8", "9", "a", "b"].contains(parts[3].first.map(String.init) ?? ""))
        #expect(UInt64(parts[0] + parts[1], radix: 16) == 1_790_000_000_123)
    }

    @Test("Ids made later sort later; ids made in the same millisecond differ")
    func ordering() {
        let start = Date(timeIntervalSince1970: 1_790_000_000)
        let ids = (0..<200).map { TimeOrderedID.make(at: start.addingTimeInterval(Double($0) / 100)) }
        for (earlier, later) in zip(ids, ids.dropFirst()) where earlier.prefix(13) != later.prefix(13) {
            #expect(earlier < later)
        }
        let same = (0..<1000).map { _ in TimeOrderedID.make(at: start) }
        #expect(Set(same).count == 1000)
        #expect(Set(same.map { $0.prefix(13) }).count == 1)
    }
}
