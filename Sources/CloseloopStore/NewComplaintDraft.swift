import CloseloopCore
import Foundation
import SQLKit

/// A new complaint worked out before its number is known, so the single writer only numbers and stores it.
///
/// The number comes from a counter row in the write transaction (gap-free), but everything else — the complaint, its
/// clocks, its document and first event as JSON, its mirrored columns — does not depend on it. The draft is made
/// with a stand-in number, a random token of this process that no caller can know, which `numbered` replaces in the
/// two JSON texts.
struct NewComplaintDraft: Sendable {
    /// Letters, digits and hyphens only, so JSON writes it unescaped.
    static let standInNumber = "number-\(UUID().uuidString)"

    let record: ComplaintRecord
    let event: ComplaintEvent
    /// The two JSON texts cut where the number goes, so numbering them is a join.
    let documentParts: [Substring]
    let eventBodyParts: [Substring]
    let columns: [(String, any SQLExpression)]

    init(make: (String) throws -> (ComplaintRecord, ComplaintEvent)) throws {
        (record, event) = try make(Self.standInNumber)
        documentParts = try SQLStore.StoredDocument.text(of: record).split(
            separator: Self.standInNumber, omittingEmptySubsequences: false)
        eventBodyParts = try StoreCoding.encode(event).split(
            separator: Self.standInNumber, omittingEmptySubsequences: false)
        columns = SQLStore.columns(of: record)
    }

    /// The complaint, its first event and their JSON with `number` in place of the stand-in.
    func numbered(_ number: String) -> (record: ComplaintRecord, event: ComplaintEvent, document: String, body: String)
    {
        var record = record
        record.complaint.number = number
        var event = event
        if case .received(var received) = event.change {
            received.number = number
            event.change = .received(received)
        }
        return (record, event, documentParts.joined(separator: number), eventBodyParts.joined(separator: number))
    }
}
