import Foundation

#if canImport(CoreFoundation)
    import CoreFoundation
#endif

/// Text of a mail part or header in whatever charset a customer's mail client wrote it, never shown as mojibake
/// (issue 13; the peers' failures: Zammad #6054, osTicket #674, GLPI #8986, helpy #2059).
///
/// - gb2312, gbk, cp936 and gb18030 are all read as GB18030, their superset: Outlook and Foxmail label GBK text
///   gb2312, and a character outside GB2312 (镕, 喆) then fails a strict GB2312 decoder.
/// - big5 is read as Big5-HKSCS, its superset.
/// - Text that is valid UTF-8 with characters beyond ASCII is read as UTF-8 whatever the label says: mail gateways
///   relabel, and real GBK or Big5 text is almost never valid UTF-8.
/// - Undeclared, unknown or undecodable text is detected: UTF-8, then GB18030 or Big5 (whichever reads as more
///   common Chinese), then Windows-1252, which reads any byte.
enum MailCharset: String, Sendable, CaseIterable {
    case utf8 = "UTF-8", gb18030 = "GB18030", big5 = "Big5", windows1252 = "windows-1252", utf16 = "UTF-16"

    /// The charset a label names, nil for an unknown one.
    static func named(_ label: String?) -> MailCharset? {
        guard var name = label?.trimmingCharacters(in: .whitespaces).lowercased(), !name.isEmpty else { return nil }
        name = name.replacingOccurrences(of: "_", with: "-")
        switch name {
        case "utf-8", "utf8", "unicode-1-1-utf-8": return .utf8
        case "us-ascii", "ascii", "ansi-x3.4-1968": return .utf8
        case "gb2312", "gbk", "gb18030", "cp936", "x-gbk", "euc-cn", "x-euc-cn", "hz-gb-2312", "csgb2312",
            "gb-2312", "windows-936", "ms936", "chinese":
            return .gb18030
        case "big5", "big5-hkscs", "x-big5", "cn-big5", "csbig5", "cp950", "windows-950": return .big5
        case "iso-8859-1", "latin1", "l1", "windows-1252", "cp1252", "iso-8859-15": return .windows1252
        case "utf-16", "utf-16le", "utf-16be": return .utf16
        default: return nil
        }
    }

    /// Decodes `data` labelled `declared` (nil when undeclared), and the charset it was read as.
    static func decode(_ data: some Collection<UInt8>, declared: String?) -> (text: String, charset: MailCharset) {
        let bytes = Data(data)
        guard bytes.contains(where: { $0 >= 0x80 }) || named(declared) == .utf16 else {
            return (String(decoding: bytes, as: UTF8.self), .utf8)
        }
        let utf8 = String(data: bytes, encoding: .utf8)
        switch named(declared) {
        case .utf16:
            if let text = String(data: bytes, encoding: .utf16) { return (text, .utf16) }
        case .some(let labelled):
            if let utf8 { return (utf8, .utf8) }
            if let text = labelled.strict(bytes) { return (text, labelled) }
        case nil:
            if let utf8 { return (utf8, .utf8) }
        }
        return detect(bytes)
    }

    /// The reading of undeclared bytes that looks most like text: GB18030 or Big5 by how much of each reads as
    /// common Chinese, else Windows-1252.
    private static func detect(_ bytes: Data) -> (text: String, charset: MailCharset) {
        let candidates = [MailCharset.gb18030, .big5].compactMap { charset in
            charset.strict(bytes).map { (text: $0, charset: charset, score: chineseScore($0)) }
        }
        if let best = candidates.max(by: { $0.score < $1.score }), best.score > 0.5 {
            return (best.text, best.charset)
        }
        return (windows1252(bytes), .windows1252)
    }

    /// The share of non-ASCII characters that are common CJK ideographs or CJK punctuation and full-width forms.
    static func chineseScore(_ text: String) -> Double {
        var common = 0
        var other = 0
        for scalar in text.unicodeScalars where scalar.value >= 0x80 {
            switch scalar.value {
            case 0x4E00...0x9FFF, 0x3000...0x303F, 0xFF00...0xFFEF: common += 1
            default: other += 1
            }
        }
        return common + other == 0 ? 0 : Double(common) / Double(common + other)
    }

    /// Decodes or gives nil on any byte sequence the charset does not define.
    private func strict(_ bytes: Data) -> String? {
        switch self {
        case .utf8: return String(data: bytes, encoding: .utf8)
        case .utf16: return String(data: bytes, encoding: .utf16)
        case .windows1252: return Self.windows1252(bytes)
        case .gb18030: return Self.decode(bytes, cf: UInt32(CFStringEncodings.GB_18030_2000.rawValue))
        case .big5:
            return Self.decode(bytes, cf: UInt32(CFStringEncodings.big5_HKSCS_1999.rawValue))
                ?? Self.decode(bytes, cf: UInt32(CFStringEncodings.big5.rawValue))
        }
    }

    private static func decode(_ bytes: Data, cf: UInt32) -> String? {
        String(data: bytes, encoding: String.Encoding(rawValue: CFStringConvertEncodingToNSStringEncoding(cf)))
    }

    /// Windows-1252 reads every byte (the five it leaves undefined as their Latin-1 code points).
    private static func windows1252(_ bytes: Data) -> String {
        String(data: bytes, encoding: .windowsCP1252) ?? String(data: bytes, encoding: .isoLatin1) ?? ""
    }
}
