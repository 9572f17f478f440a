import CloseloopCore
import CloseloopStore
import Foundation

extension ComplaintService {
    /// Adds what the customer sent on their own channel (a mail, a chat, a webhook call) to their complaint: as the
    /// information asked for while the complaint waits for it, as their message otherwise. The channel's own id of
    /// the message makes a retry after a crash add it once.
    public func receiveCustomerMessage(_ message: EventChange.MessageReceived, on id: ComplaintID) async throws {
        var message = message
        message.externalID = message.externalID.map { String($0.prefix(TextRules.line)) }
        let history = try await store.history(of: id)
        guard let complaint = Complaint(id: id, history: history) else { throw StoreError.complaintNotFound }
        if let externalID = message.externalID {
            let already = history.contains {
                if case .messageReceived(let received) = $0.change { return received.externalID == externalID }
                return false
            }
            if already { return }
        }
        let action: ComplaintAction =
            complaint.state == .awaitingInformation
            ? .provideInformation(
                note: message.text.isEmpty ? message.subject ?? "" : message.text, attachments: message.attachments)
            : .receiveMessage(message)
        _ = try await perform(action, on: id, expectedVersion: nil, by: .customer)
    }
}
