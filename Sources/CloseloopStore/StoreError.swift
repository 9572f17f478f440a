import CloseloopCore

/// What the store refuses; the server maps each to an HTTP status and a stable code.
public enum StoreError: Error, Hashable, Sendable {
    /// Someone else changed the complaint since it was read; reload and try again.
    case versionConflict(expected: Int, current: Int)
    case complaintNotFound
    case incidentNotFound
    /// Someone else changed the incident since it was read.
    case incidentVersionConflict(expected: Int, current: Int)
    /// The idempotency key was used before for a different request.
    case idempotencyKeyReused
    case usernameTaken(String)
    case userNotFound(String)
    /// A stored row could not be read back (corrupt document).
    case corruptRecord(String)

    public var code: String {
        switch self {
        case .versionConflict: "complaint.version_conflict"
        case .complaintNotFound: "complaint.not_found"
        case .incidentNotFound: "incident.not_found"
        case .incidentVersionConflict: "incident.version_conflict"
        case .idempotencyKeyReused: "idempotency.key_reused"
        case .usernameTaken: "user.username_taken"
        case .userNotFound: "user.not_found"
        case .corruptRecord: "store.corrupt_record"
        }
    }
}
