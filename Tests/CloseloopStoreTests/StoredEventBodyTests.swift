import CloseloopCore
import Foundation
import SQLKit
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
        // The row's numbers written back as the encoder wrote them: before 1970, and far ahead.
        event(.resultReturned(.init(text: "旧")), at: Date(timeIntervalSince1970: -1_234_567)),
        event(.resultReturned(.init(text: "新")), at: Date(timeIntervalSince1970: 99_999_999_999)),
    ]

    /// What a row keeps of `event`: its packed data and its actor's object, split from its body.
    static func stored(_ event: ComplaintEvent) throws -> (body: String, split: StoredEventBody.Split) {
        let body = try StoreCoding.encode(event)
        return (body, try #require(StoredEventBody.split(body, HistoryRow.bodyColumns(of: event))))
    }

    @Test("every body comes back byte for byte from its row", arguments: events)
    func roundTrip(event: ComplaintEvent) throws {
        let (body, split) = try Self.stored(event)
        let columns = HistoryRow.bodyColumns(of: event)
        #expect(try StoredEventBody.expanded(split.data, actor: split.actor, columns) == body)
        // The actor's object is the one kept once for every event of theirs.
        #expect(split.actor == (try StoreCoding.encode(event.actor)))
        #expect(split.data.utf8.count < body.utf8.count - split.actor.utf8.count)
        #expect(!split.data.contains(#""sequence""#) && !split.data.contains(#""actor""#))
    }

    @Test("a body of another shape is kept whole and given back as it is")
    func otherShapesKeptWhole() throws {
        let event = Self.event(.resultReturned(.init(text: "跟进")))
        let columns = HistoryRow.bodyColumns(of: event)
        let spaced = try StoreCoding.encode(event).replacingOccurrences(of: #""at":"#, with: #""at": "#)
        #expect(StoredEventBody.split(spaced, columns) == nil)
        #expect(try StoredEventBody.expanded(spaced, actor: nil, columns) == spaced)
        // Columns that do not describe the body (another sequence) leave it whole too.
        var other = columns
        other.sequence = 8
        #expect(StoredEventBody.split(try StoreCoding.encode(event), other) == nil)
    }

    @Test("an instant with a fraction of a millisecond is kept whole, since the column holds whole milliseconds")
    func fractionalInstant() throws {
        let event = Self.event(.resultReturned(.init(text: "a")), at: Self.at.addingTimeInterval(0.0004))
        #expect(StoredEventBody.split(try StoreCoding.encode(event), HistoryRow.bodyColumns(of: event)) == nil)
    }

    @Test("a row keeps the data whole only when the actor's stored object is the very text of its body")
    func actorMustMatch() throws {
        let event = Self.events[1]
        let (body, split) = try Self.stored(event)
        let key = HistoryKey(year: 2026, sequence: 1)
        let hash = HistoryChain.hash(previous: HistoryChain.genesis, complaintID: "c", sequence: 7, body: body)
        let pending = HistoryRow.pending(
            event, body: body, key: key, hash: hash, intake: IntakeText(subject: "", description: ""))
        func kept(_ actors: [ActorReference: HistoryActors.Stored]) -> (actor: String, body: String) {
            let values = HistoryRow.values(pending, actors: actors).map { value in
                (value as? SQLBind).map { "\($0.encodable)" } ?? ""
            }
            return (values[4], values[6])
        }
        let matching = kept([event.actor: HistoryActors.Stored(id: 3, text: split.actor)])
        #expect(matching.actor == "Optional(3)" && matching.body == split.data)
        let other = kept([event.actor: HistoryActors.Stored(id: 3, text: #"{"kind":"staff","name":"别人"}"#)])
        #expect(other.actor == "nil" && other.body == body)
        #expect(kept([:]).actor == "nil" && kept([:]).body == body)
    }

    @Test("a received event leaves the customer's subject and description to the complaint's columns")
    func intakeTextLeftOut() throws {
        var intake = StoreFixtures.intake()
        intake.subject = #"快递"破损" \ 退款"#
        intake.description = "收到的箱子是湿的，\n里面的东西坏了。"
        let event = Self.event(.received(.init(number: "260413001", intake: intake)))
        let body = try StoreCoding.encode(event)
        let columns = HistoryRow.bodyColumns(of: event)
        let text = IntakeText(subject: intake.subject, description: intake.description)
        let split = try #require(StoredEventBody.split(body, columns, intake: text))
        #expect(!split.data.contains("快递") && !split.data.contains("箱子"))
        #expect(split.data.utf8.filter(IntakeText.isCode).count == 2)
        #expect(try StoredEventBody.expanded(split.data, actor: split.actor, columns, intake: text) == body)
        // Without the columns' text it cannot be rebuilt, and says so rather than hashing something else.
        #expect(throws: StoreError.self) { try StoredEventBody.expanded(split.data, actor: split.actor, columns) }
        // Another complaint's text is not there to leave out: the data keeps its own.
        let other = IntakeText(subject: "别的", description: "别的")
        let kept = try #require(StoredEventBody.split(body, columns, intake: other))
        #expect(kept.data.contains("快递") && !kept.data.utf8.contains(where: IntakeText.isCode))
        #expect(try StoredEventBody.expanded(kept.data, actor: kept.actor, columns, intake: other) == body)
    }

    static let system = ActorReference(kind: .system, userID: nil, name: "system")

    /// A clock alert and a contact, the two events of every complaint's history that repeat most.
    static let frequent: [ComplaintEvent] = [
        event(
            .clockAlerted(
                ClockAlert(
                    kind: .breach, clock: .customerUpdate, cycleStart: at, dueAt: at.addingTimeInterval(7_200),
                    level: 2)), actor: system),
        event(.customerContacted(reached(note: "进度更新：\"outcome\":\"reached\"，已安排上门"))),
    ]

    /// A contact that reached the customer (the core keeps its initialiser to itself; its JSON is public).
    static func reached(note: String) -> EventChange.CustomerContacted {
        let json = try? JSONSerialization.data(withJSONObject: ["outcome": "reached", "note": note])
        return try! JSONDecoder().decode(EventChange.CustomerContacted.self, from: json ?? Data())
    }

    @Test("frequent keys and values are kept as single bytes, and come back byte for byte", arguments: frequent)
    func tokens(event: ComplaintEvent) throws {
        let (body, split) = try Self.stored(event)
        let columns = HistoryRow.bodyColumns(of: event)
        let stored = split.data
        #expect(try StoredEventBody.expanded(stored, actor: split.actor, columns) == body)
        #expect(!stored.contains(#""outcome":"#) && !stored.contains(#""dueAt":"#))
        #expect(stored.utf8.contains { $0 < 0x20 })
        // Rows written before the tokens (the data as it was) read the same.
        let plain = String(decoding: StoredEventTokens.unpacked(stored.utf8), as: UTF8.self)
        #expect(try StoredEventBody.expanded(plain, actor: split.actor, columns) == body)
        #expect(plain.utf8.count > stored.utf8.count)
    }

    @Test("the tokens' codes are fixed: a stored clock alert is exactly these bytes")
    func tokenCodesFixed() throws {
        let stored = try Self.stored(Self.frequent[0]).split.data
        let at = Int64(Self.at.timeIntervalSince1970 * 1000)
        #expect(
            Array(stored.utf8)
                == Array("{".utf8) + [0x06, 0x18, 0x2C, 0x01] + Array("\(at),".utf8) + [0x07]
                + Array("\(at + 7_200_000),".utf8) + [0x05, 0x1A, 0x2C, 0x08] + Array("2}".utf8))
        #expect(StoredEventTokens.codes.count == StoredEventTokens.tokens.count)
        #expect(!StoredEventTokens.codes.contains { [0x09, 0x0A, 0x0D].contains($0) || $0 >= 0x20 })
    }

    @Test("change data holding a control byte is kept whole, so that no byte is misread as a token")
    func controlBytesKeptWhole() throws {
        let body = try StoreCoding.encode(Self.frequent[1])
        let columns = HistoryRow.bodyColumns(of: Self.frequent[1])
        // JSON text from the encoder never holds one raw; a body from elsewhere might.
        let odd = body.replacingOccurrences(of: "已安排", with: "已\u{1}安排")
        #expect(StoredEventBody.split(odd, columns) == nil)
        #expect(try StoredEventBody.expanded(odd, actor: nil, columns) == odd)
    }

    @Test("a stored body of neither shape is refused, not misread")
    func corruptRefused() {
        let columns = HistoryRow.bodyColumns(of: Self.events[1])
        #expect(throws: StoreError.self) { try StoredEventBody.expanded("null", actor: nil, columns) }
        #expect(throws: StoreError.self) { try StoredEventBody.expanded(#""name"{}"#, actor: nil, columns) }
        #expect(throws: StoreError.self) { try StoredEventBody.expanded("", actor: #"{"kind":"system"}"#, columns) }
    }

    @Test("a hash is kept as 32 bytes and read back as the same hex")
    func hashBytes() {
        let hash = HistoryChain.hash(previous: HistoryChain.genesis, complaintID: "c", sequence: 1, body: "{}")
        let stored = HistoryChain.stored(hash)
        #expect(stored.count == 32)
        #expect(HistoryChain.hash(stored: stored) == hash)
    }
}
