import CloseloopCore
import Foundation
import Testing

@testable import CloseloopStore

/// A stored document keeps its keys and frequent values as two-byte codes and gives back the exact JSON.
@Suite("Stored document tokens")
struct StoredDocumentTokensTests {
    /// A complaint's document as the store encodes it before packing, with text that JSON escapes.
    static func document() throws -> String {
        var intake = StoreFixtures.intake()
        intake.customer.name = #"张"伟" \ 先生"#
        let (complaint, event) = try Workflow(policy: .standard).receive(
            intake, id: ComplaintID("c-1"), number: "260413001", at: StoreFixtures.mondayMorning,
            by: .staff(StoreFixtures.agent))
        let schedule = ClockSchedule(policy: .standard, calendar: .chinaMainland)
        let record = ComplaintRecord(complaint: complaint, clocks: schedule.clocks(for: [event]))
        return try StoreCoding.encode(record)
    }

    @Test("a document comes back byte for byte, a third smaller or more")
    func roundTrip() throws {
        let json = try Self.document()
        let packed = StoredDocumentTokens.packed(json)
        #expect(try StoredDocumentTokens.unpacked(packed) == json)
        #expect(packed.utf8.count * 3 < json.utf8.count * 2, "\(packed.utf8.count) of \(json.utf8.count)")
        #expect(!packed.contains(#""clocks":"#) && !packed.contains(#""receivedAt":"#))
        // The customer's escaped name is a string like any other, not a token.
        #expect(packed.contains(#""张\"伟\" \\ 先生""#))
    }

    @Test("only whole strings are tokens: a value spelled like a key, or a longer string, stays as it is")
    func wholeStringsOnly() throws {
        let json = #"{"clocks":["clocks","working","workingday"],"note":"\"clocks\":"}"#
        let packed = StoredDocumentTokens.packed(json)
        #expect(Array(packed.utf8.prefix(3)) == [UInt8(ascii: "{"), 0x01, 0x21])
        #expect(packed.contains(#""clocks""#) && packed.contains(#""workingday""#) && !packed.contains(#""working""#))
        #expect(packed.contains(#""\"clocks\":""#))
        #expect(try StoredDocumentTokens.unpacked(packed) == json)
    }

    @Test("documents written before, and any holding a control byte, are read and kept as they are")
    func plainKept() throws {
        let json = try Self.document()
        #expect(try StoredDocumentTokens.unpacked(json) == json)
        let odd = json.replacingOccurrences(of: "沙发", with: "沙\u{1}发")
        #expect(StoredDocumentTokens.packed(odd) == odd)
    }

    @Test("the table is part of the stored format: fixed places, no duplicates, room for its codes")
    func tableFixed() throws {
        #expect(StoredDocumentTokens.tokens.count <= 94)
        #expect(Set(StoredDocumentTokens.tokens).count == StoredDocumentTokens.tokens.count)
        #expect(StoredDocumentTokens.tokens.allSatisfy { $0.hasPrefix("\"") && !$0.utf8.contains { $0 < 0x20 } })
        #expect(
            StoredDocumentTokens.tokens[0] == #""clocks":"# && StoredDocumentTokens.tokens[4] == #""first_response""#)
        #expect(throws: StoreError.self) { try StoredDocumentTokens.unpacked("{\u{1}\u{7F}}") }
        #expect(throws: StoreError.self) { try StoredDocumentTokens.unpacked("{\u{1}") }
    }
}
