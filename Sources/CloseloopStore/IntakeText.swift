import CloseloopCore

/// The customer's subject and description as a complaint's columns hold them. Its received event's data held them
/// too (about 0.25 KB a complaint in the bench, the longest text of most histories), and they never change once
/// received (`Intake` is set only when the complaint is made), so a history row leaves each out where its data holds
/// exactly `"subject":` and `"description":` followed by the text as JSON, once each, and keeps a control byte in
/// its place; reads put the columns' text back. JSON text holds no raw control byte, and the two codes are not among
/// `StoredEventTokens`' (part of the stored format: never reused).
struct IntakeText: Sendable, Hashable {
    var subject: String
    var description: String

    static let subjectCode: UInt8 = 0x1E
    static let descriptionCode: UInt8 = 0x1F
    /// Whether `byte` is one of the two codes (checked for every byte of every event read: no hashing).
    static func isCode(_ byte: UInt8) -> Bool { byte == subjectCode || byte == descriptionCode }

    /// The two texts as JSON strings, after their keys, with their codes.
    private var fields: [(key: [UInt8], value: [UInt8], code: UInt8)] {
        [
            (Array(#""subject":"#.utf8), Self.json(subject), Self.subjectCode),
            (Array(#""description":"#.utf8), Self.json(description), Self.descriptionCode),
        ]
    }

    /// `data` with each text that follows its key exactly once replaced by its code.
    func leftOut(of data: [UInt8]) -> [UInt8] {
        var data = data
        for field in fields where field.value.count >= 2 {
            let needle = field.key + field.value
            let found = Self.ranges(of: needle, in: data)
            guard found.count == 1, let range = found.first else { continue }
            data.replaceSubrange((range.lowerBound + field.key.count)..<range.upperBound, with: [field.code])
        }
        return data
    }

    /// Of a complaint as written: the texts its received event may leave out.
    init(_ record: ComplaintRecord) {
        subject = record.complaint.intake.subject
        description = record.complaint.intake.description
    }

    init(subject: String, description: String) {
        self.subject = subject
        self.description = description
    }

    /// `data` with each code replaced by its text.
    func putBack(into data: [UInt8]) -> [UInt8] {
        let (subject, description) = (Self.json(subject), Self.json(description))
        var whole: [UInt8] = []
        whole.reserveCapacity(data.count + subject.count + description.count)
        for byte in data {
            switch byte {
            case Self.subjectCode: whole += subject
            case Self.descriptionCode: whole += description
            default: whole.append(byte)
            }
        }
        return whole
    }

    /// A text as the store's JSON encoder writes it (escaped alike, so the body is rebuilt byte for byte).
    private static func json(_ text: String) -> [UInt8] {
        Array(((try? StoreCoding.encode(text)) ?? "").utf8)
    }

    private static func ranges(of needle: [UInt8], in text: [UInt8]) -> [Range<Int>] {
        guard let first = needle.first, needle.count <= text.count else { return [] }
        var found: [Range<Int>] = []
        var index = 0
        while index <= text.count - needle.count {
            if text[index] == first, text[index..<(index + needle.count)].elementsEqual(needle) {
                found.append(index..<(index + needle.count))
                index += needle.count
            } else {
                index += 1
            }
        }
        return found
    }
}
