import Foundation

/// Phone numbers are stored digits-only, without China's country code, so a customer finds their complaint however
/// they type it: `+86 138-0013-8000`, `(+86) 13800138000`, `0086 138 0013 8000` and `13800138000` are one number, and
/// so are `+86 10 6552 9988` and `010-6552 9988`.
public enum PhoneKey {
    public static func normalized(_ phone: String) -> String {
        let trimmed = phone.trimmingCharacters(in: .whitespaces)
        var digits = trimmed.filter { $0.isASCII && $0.isNumber }
        let international = trimmed.hasPrefix("+") || trimmed.hasPrefix("(+")
        var national: String?
        if digits.hasPrefix("0086") {
            national = String(digits.dropFirst(4))
        } else if digits.hasPrefix("86") && (international || (digits.count == 13 && digits.dropFirst(2).first == "1"))
        {
            national = String(digits.dropFirst(2))
        }
        if let national {
            // Landlines drop their trunk 0 after the country code; put it back.
            let isMobile = national.count == 11 && national.first == "1"
            digits = isMobile || national.hasPrefix("0") ? national : "0" + national
        }
        return digits
    }
}
