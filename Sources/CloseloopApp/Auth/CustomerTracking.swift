import CloseloopCore
import CloseloopStore
import Foundation

/// How a customer without an account reaches their complaint, on the portal and through `/api/v1/track`: the number
/// and the phone it was filed with. A wrong number and a wrong phone get one answer, and failures per number are
/// limited, so neither numbers nor phones can be guessed.
public struct CustomerTracking: Sendable {
    let store: SQLStore
    let limiter: FailedAttemptLimiter
    let time: any TimeSource

    /// The complaint with this number filed with this phone; otherwise throws why not.
    public func complaint(number: String, phone: String) async throws -> ComplaintRecord {
        let number = number.trimmingCharacters(in: .whitespaces)
        let now = time.now()
        guard try await limiter.allow(number, at: now) else { throw TrackingRefusal.rateLimited }
        guard let record = try await store.record(number: number),
            let stored = record.complaint.intake.customer.phone,
            !PhoneKey.normalized(phone).isEmpty, PhoneKey.normalized(stored) == PhoneKey.normalized(phone)
        else {
            try await limiter.recordFailure(number, at: now)
            throw TrackingRefusal.notFound
        }
        return record
    }
}

/// Why a customer's number and phone did not open a complaint.
public enum TrackingRefusal: Error, Sendable, Equatable {
    case notFound
    case rateLimited
}
