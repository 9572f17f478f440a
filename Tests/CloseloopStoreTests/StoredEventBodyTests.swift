import CloseloopCore
import Foundation
import Testing

@testable import CloseloopStore

/// A history row keeps an event's body without what its columns say, and gives back the exact text that was hashed.
@Suite("Stored event bodies")
struct StoredEventBodyTests {
    static let at = StoreFixtures.mondayMorning

    static func event(
        _ change: EventChange,
        actor: ActorReference = ActorReference(kind: .staff, userID: UserID("li.na"), name: "李娜"),
        at: Date = at
    ) -> ComplaintEvent {
        ComplaintEvent(sequence: 7, at: at, actor: actor, change: change)
    }

    static let events: [ComplaintEvent] = [
        event(.received(.init(number: "260413001", intake: StoreFixtures.intake()))),
        event(.resultReturned(.init(text: "跟进"))),
        event(.closed(.init(text: "")), actor: ActorReference(kind: .system, userID: nil, name: "system")),
        event(.closed(.init(text: "ok")), actor: ActorReference(kind: .customer, userID: nil, name: "张伟")),
        // A name that JSON escapes, and one with the very text that follows a name.
        event(.closed(.init(text: "x")), actor: ActorReference(kind: .staff, userID: UserID("q"), name: #"王"小\明"#)),
        event(
            .closed(.init(text: "y")),
            actor: ActorReference(kind: .staff, userID: UserID("r"), name: #"},"at":1,"change":{"data":"#)),
    ]

    @Test("every body comes back byte for byte from its row", arguments: events)
    func roundTrip(event: ComplaintEvent) throws {
        let body = try StoreCoding.encode(event)
        let columns = HistoryRow.bodyColumns(of: event)
        let stored = StoredEventBody.compacted(body, columns)
        #expect(try StoredEventBody.expanded(stored, columns) == body)
        #expect(stored.utf8.count < body.utf8.count)
        #expect(stored.first == "\"")
        #expect(!stored.contains(#""sequence""#))
    }

    @Test("a body of another shape is kept whole and given back as it is")
    func otherShapesKeptWhole() throws {
        let event = Self.event(.resultReturned(.init(text: "跟进")))
        let columns = HistoryRow.bodyColumns(of: event)
        let spaced = try StoreCoding.encode(event).replacingOccurrences(of: #""at":"#, with: #""at": "#)
        #expect(StoredEventBody.compacted(spaced, columns) == spaced)
        #expect(try StoredEventBody.expanded(spaced, columns) == spaced)
        // Columns that do not describe the body (another sequence) leave it whole too.
        var other = columns
        other.sequence = 8
        let body = try StoreCoding.encode(event)
        #expect(StoredEventBody.compacted(body, other) == body)
    }

    @Test("an instant with a fraction of a millisecond is kept whole, since the column holds whole milliseconds")
    func fractionalInstant() throws {
        let event = Self.event(.resultReturned(.init(text: "a")), at: Self.at.addingTimeInterval(0.0004))
        let body = try StoreCoding.encode(event)
        let columns = HistoryRow.bodyColumns(of: event)
        #expect(try StoredEventBody.expanded(StoredEventBody.compacted(body, columns), columns) == body)
    }

    @Test("a stored body of neither shape is refused, not misread")
    func corruptRefused() {
        let columns = HistoryRow.bodyColumns(of: Self.events[1])
        #expect(throws: StoreError.self) { try StoredEventBody.expanded("null", columns) }
        #expect(throws: StoreError.self) { try StoredEventBody.expanded(#""unterminated"#, columns) }
        #expect(throws: StoreError.self) { try StoredEventBody.expanded("", columns) }
    }

    @Test("a hash is kept as 32 bytes and read back as the same hex")
    func hashBytes() {
        let hash = HistoryChain.hash(previous: HistoryChain.genesis, complaintID: "c", sequence: 1, body: "{}")
        let stored = HistoryChain.stored(hash)
        #expect(stored.count == 32)
        #expect(HistoryChain.hash(stored: stored) == hash)
    }
}
