import CloseloopCore
import CloseloopStore
import Foundation

/// The customer's view of results and files (`CustomerFiles`), for the portal: the result is read with staff names
/// taken out, as the message that told the customer about it was.
extension ComplaintService {
    public func customerResult(of id: ComplaintID, in language: Language) async throws -> CustomerFiles.Result? {
        guard var result = CustomerFiles.result(in: try await store.history(of: id)) else { return nil }
        let staff = try await store.users().map { StaffMentions.Member(id: $0.id, name: $0.displayName) }
        result.summary = StaffMentions.redact(
            result.summary, among: staff, with: LocalizedText(zh: "工作人员", en: "our staff").text(in: language))
        return result
    }

    /// The files the customer sent with the complaint, with information and in messages.
    public func customerUploads(of id: ComplaintID) async throws -> [AttachmentReference] {
        CustomerFiles.uploads(in: try await store.history(of: id))
    }

    /// Whether the customer following complaint `id` may open file `attachment`: their own, or their result's
    /// evidence.
    public func customerMayOpen(_ attachment: String, of id: ComplaintID) async throws -> Bool {
        CustomerFiles.customerMayOpen(attachment, in: try await store.history(of: id))
    }
}
