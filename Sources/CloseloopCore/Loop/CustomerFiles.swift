import Foundation

/// What a customer sees of a complaint's results and files beside the timeline: the result they are asked to confirm,
/// with its evidence, and the files they sent themselves. Nothing staff attached for their own use is theirs to see.
public enum CustomerFiles {
    /// The result the staff returned last: what was done, with the photos of the work.
    public struct Result: Hashable, Sendable {
        /// The result note as written; the service removes staff names before the customer reads it.
        public var summary: String
        /// The result's own files, and the evidence recorded with the work since the solution was agreed.
        public var evidence: [AttachmentReference]
    }

    /// The latest returned result, or nil before any.
    public static func result(in history: [ComplaintEvent]) -> Result? {
        guard let returned = history.lastIndex(where: { if case .resultReturned = $0.change { true } else { false } }),
            case .resultReturned(let note) = history[returned].change
        else { return nil }
        // The work behind this result: from the last proposal the customer answered (or the start) up to it.
        let agreed =
            history[..<returned].lastIndex { if case .customerResponded = $0.change { true } else { false } }
            ?? history.startIndex
        var evidence: [AttachmentReference] = []
        for event in history[agreed..<returned] {
            if case .progressRecorded(let progress) = event.change { evidence += progress.evidence }
        }
        return Result(summary: note.text, evidence: unique(note.attachments + evidence))
    }

    /// The files the customer sent: with the complaint, with information asked of them, and in their messages.
    public static func uploads(in history: [ComplaintEvent]) -> [AttachmentReference] {
        unique(
            history.filter { $0.actor.kind == .customer }.flatMap { event -> [AttachmentReference] in
                switch event.change {
                case .received(let received): received.intake.attachments
                case .informationProvided(let note): note.attachments
                case .messageReceived(let message): message.attachments
                default: []
                }
            })
    }

    /// Whether the customer may open the file with this id: one they sent, or the evidence of their result.
    public static func customerMayOpen(_ id: String, in history: [ComplaintEvent]) -> Bool {
        (uploads(in: history) + (result(in: history)?.evidence ?? [])).contains { $0.id == id }
    }

    private static func unique(_ files: [AttachmentReference]) -> [AttachmentReference] {
        var seen = Set<String>()
        return files.filter { seen.insert($0.id).inserted }
    }
}
