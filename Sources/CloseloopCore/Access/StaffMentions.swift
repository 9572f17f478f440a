import Foundation

/// Finds the staff members a customer's words name, so that a person typed as free text ("王芳", "WangFang", a
/// misspelt login) is not silently left assignable: recusal names people by id, and a name found here is put to the
/// supervisor to confirm (SPEC §1, 回避).
public enum StaffMentions {
    /// One entry of the staff directory, as the matcher needs it.
    public struct Member: Hashable, Sendable {
        public var id: UserID
        public var name: String

        public init(id: UserID, name: String) {
            self.id = id
            self.name = name
        }
    }

    /// Shorter names match too much ordinary text: a one-character Chinese name or a two-letter login.
    static let shortestChineseName = 2
    static let shortestLatinName = 3

    /// The members named in `texts`, in directory order: a Chinese name anywhere in the text, a Latin name or a login
    /// only as a whole word (so "Li" never matches "lights"), case and spacing of the login aside.
    public static func find(in texts: [String?], among staff: [Member]) -> [UserID] {
        let text = texts.compactMap { $0 }.joined(separator: "\n")
        guard !text.isEmpty else { return [] }
        // Folded once and compared as bytes: Foundation's case-insensitive search took a quarter of an intake's
        // CPU with forty staff (BENCHMARKS.md, issue 16).
        let folded = Array(text.lowercased().utf8)
        return staff.filter { member in
            names(of: member).contains { name in mentions(name, in: folded) }
        }.map(\.id)
    }

    /// The forms a member may be written in: display name, display name without spaces, login.
    private static func names(of member: Member) -> [String] {
        let display = member.name.trimmingWhitespace
        let joined = display.filter { !$0.isWhitespace }
        return [display, joined, member.id.rawValue].filter(isDistinctive)
    }

    private static func isDistinctive(_ name: String) -> Bool {
        isLatin(name) ? name.count >= shortestLatinName : name.count >= shortestChineseName
    }

    /// `text` with every member's name replaced by `replacement`, found as `find` finds them: what staff write to a
    /// customer never carries a colleague's name (SPEC: staff names never reach the customer).
    public static func redact(_ text: String, among staff: [Member], with replacement: String) -> String {
        var text = text
        // Longest first, so "王芳芳" is not left as "…芳" after "王芳".
        let names = Set(staff.flatMap(names(of:))).sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
        for name in names {
            var searchFrom = text.startIndex
            while let found = text.range(of: name, options: .caseInsensitive, range: searchFrom..<text.endIndex) {
                let before = found.lowerBound == text.startIndex ? nil : text[text.index(before: found.lowerBound)]
                let after = found.upperBound == text.endIndex ? nil : text[found.upperBound]
                guard !isLatin(name) || (!isWordCharacter(before) && !isWordCharacter(after)) else {
                    searchFrom = found.upperBound
                    continue
                }
                let offset = text.distance(from: text.startIndex, to: found.lowerBound) + replacement.count
                text.replaceSubrange(found, with: replacement)
                searchFrom = text.index(text.startIndex, offsetBy: offset)
            }
        }
        return text
    }

    private static func isLatin(_ name: String) -> Bool { name.unicodeScalars.allSatisfy(\.isASCII) }

    /// Whether `name` occurs in `text` (UTF-8, lower case): a Chinese name anywhere, a Latin one only between bytes
    /// that are not ASCII letters or digits. A byte match is a character match, since no character's UTF-8 encoding
    /// starts inside another's.
    private static func mentions(_ name: String, in text: [UInt8]) -> Bool {
        let pattern = Array(name.lowercased().utf8)
        guard let first = pattern.first, pattern.count <= text.count else { return false }
        let wholeWord = isLatin(name)
        return text.withUnsafeBufferPointer { text in
            pattern.withUnsafeBufferPointer { pattern in
                var start = 0
                while start <= text.count - pattern.count {
                    defer { start += 1 }
                    guard text[start] == first else { continue }
                    var matched = 1
                    while matched < pattern.count && text[start + matched] == pattern[matched] { matched += 1 }
                    guard matched == pattern.count else { continue }
                    let end = start + pattern.count
                    if !wholeWord
                        || (!isWordByte(start == 0 ? nil : text[start - 1])
                            && !isWordByte(end == text.count ? nil : text[end]))
                    {
                        return true
                    }
                }
                return false
            }
        }
    }

    /// A Latin name is a whole word when the bytes beside it are not ASCII letters, digits or "_" (Chinese text may
    /// touch it directly: "wangfang师傅").
    private static func isWordByte(_ byte: UInt8?) -> Bool {
        guard let byte else { return false }
        return (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
            || byte == 0x5F
    }

    /// `isWordByte` for a character: only a single ASCII byte can be one.
    private static func isWordCharacter(_ character: Character?) -> Bool {
        isWordByte(character?.asciiValue)
    }
}
