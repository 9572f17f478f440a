import Foundation

/// SPEC §2's repeat complaint (重复投诉): the same customer complaining again about the same issue within the policy's
/// window. The intake agent names the earlier complaint; this says whether it may be named.
public enum RepeatRule {
    /// Why `intake`, received at `received`, cannot repeat complaint `number` (`earlier`, nil when there is no such
    /// complaint): unknown, received later, another customer's, or outside `policy.repeatWindowDays`.
    public static func problem(
        repeating number: String, earlier: Complaint?, intake: Intake, receivedAt received: Date, policy: ServicePolicy
    ) -> FieldIssue? {
        guard let earlier, earlier.receivedAt <= received else {
            return FieldIssue(
                field: "repeatOf", code: "unknown_complaint",
                message: LocalizedText(zh: "找不到投诉 \(number)", en: "no earlier complaint \(number)"))
        }
        guard sameCustomer(earlier.intake.customer, intake.customer) else {
            return FieldIssue(
                field: "repeatOf", code: "other_customer",
                message: LocalizedText(zh: "该投诉属于其他客户", en: "belongs to another customer"))
        }
        guard received.timeIntervalSince(earlier.receivedAt) <= Double(policy.repeatWindowDays) * 86_400 else {
            return FieldIssue(
                field: "repeatOf", code: "outside_window",
                message: LocalizedText(
                    zh: "超过 \(policy.repeatWindowDays) 天的重复投诉期限",
                    en: "is older than the \(policy.repeatWindowDays)-day repeat window"))
        }
        return nil
    }

    /// The same customer: the same phone number however it is typed (`PhoneKey`), or the same email address in any
    /// case. Names are not compared: two customers may share one, and one customer writes theirs differently.
    public static func sameCustomer(_ earlier: CustomerDetails, _ later: CustomerDetails) -> Bool {
        let earlierPhone = earlier.phone.map(PhoneKey.normalized).flatMap { $0.isEmpty ? nil : $0 }
        if let earlierPhone, earlierPhone == later.phone.map(PhoneKey.normalized) { return true }
        guard let earlierEmail = earlier.email?.lowercased(), !earlierEmail.isEmpty else { return false }
        return earlierEmail == later.email?.lowercased()
    }
}
