/// Masks personal data for staff who do not need it: 138****8000, z***@example.com.
public enum Masking {
    public static func phone(_ phone: String) -> String {
        let characters = Array(phone)
        guard characters.count > 7 else { return String(repeating: "*", count: characters.count) }
        return String(characters.prefix(3)) + String(repeating: "*", count: characters.count - 7)
            + String(characters.suffix(4))
    }

    public static func email(_ email: String) -> String {
        guard let at = email.firstIndex(of: "@"), at != email.startIndex else { return "***" }
        return String(email[email.startIndex]) + "***" + String(email[at...])
    }
}
