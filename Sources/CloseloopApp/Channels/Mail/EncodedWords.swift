import Foundation

/// Header text as mail clients write it (RFC 2047 encoded words, RFC 2231 parameters), decoded to a string.
enum EncodedWords {
    /// Decodes a header value: encoded words (`=?GBK?B?…?=`, `=?UTF-8?Q?…?=`) anywhere in it, adjacent ones joined
    /// before their bytes are decoded (QQ Mail and Outlook split a multi-byte character across two words), and raw
    /// 8-bit bytes read by `MailCharset`'s detection.
    static func decode(_ raw: [UInt8]) -> String {
        var output = ""
        var pending: (charset: String, bytes: [UInt8])?
        var spaces: [UInt8] = []
        var plain: [UInt8] = []
        func flushPending() {
            if let word = pending { output += MailCharset.decode(word.bytes, declared: word.charset).text }
            pending = nil
        }
        func flushPlain() {
            if !plain.isEmpty { output += MailCharset.decode(plain, declared: nil).text }
            plain = []
        }
        var index = 0
        while index < raw.count {
            if raw[index] == UInt8(ascii: "="), index + 1 < raw.count, raw[index + 1] == UInt8(ascii: "?"),
                let (word, end) = encodedWord(raw, at: index)
            {
                // White space between two encoded words is not part of the text (RFC 2047 §6.2).
                if pending == nil {
                    plain += spaces
                } else if pending?.charset.lowercased() != word.charset.lowercased() {
                    flushPending()
                }
                spaces = []
                flushPlain()
                if pending == nil { pending = (word.charset, []) }
                pending?.bytes += word.bytes
                index = end
                continue
            }
            let byte = raw[index]
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
                spaces.append(byte)
            } else {
                flushPending()
                plain += spaces
                spaces = []
                plain.append(byte)
            }
            index += 1
        }
        flushPending()
        plain += spaces
        flushPlain()
        return output
    }

    /// The encoded word starting at `start`, its bytes decoded from B or Q, and the index after it.
    private static func encodedWord(_ raw: [UInt8], at start: Int) -> ((charset: String, bytes: [UInt8]), Int)? {
        // =?charset?E?text?=
        var parts: [[UInt8]] = []
        var current: [UInt8] = []
        var index = start + 2
        while index < raw.count {
            let byte = raw[index]
            if byte == UInt8(ascii: "?") {
                if parts.count == 2, index + 1 < raw.count, raw[index + 1] == UInt8(ascii: "=") {
                    parts.append(current)
                    break
                }
                if parts.count < 2 {
                    parts.append(current)
                    current = []
                    index += 1
                    continue
                }
            }
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n") { return nil }
            current.append(byte)
            index += 1
        }
        guard parts.count == 3, index + 1 < raw.count else { return nil }
        // A language tag (RFC 2231 §5: charset*lang) is dropped.
        let charset = String(decoding: parts[0], as: UTF8.self).split(separator: "*").first.map(String.init) ?? ""
        let bytes: [UInt8]
        switch String(decoding: parts[1], as: UTF8.self).uppercased() {
        case "B": bytes = TransferEncoding.base64(parts[2])
        case "Q": bytes = TransferEncoding.quotedPrintable(parts[2], underscoreIsSpace: true)
        default: return nil
        }
        return ((charset, bytes), index + 2)
    }

    /// The value and parameters of a structured header (`Content-Type: text/plain; charset="gbk"`), names lower-cased,
    /// RFC 2231 parameters (`filename*=UTF-8''%E5%8F%91%E7%A5%A8.pdf`, continued `name*0*=`, `name*1*=`) assembled
    /// and decoded, and RFC 2047 words in quoted values (QQ Mail's file names) decoded too.
    static func parameters(_ raw: [UInt8]) -> (value: String, parameters: [String: String]) {
        let pieces = split(raw)
        let value = String(decoding: pieces.first ?? [], as: UTF8.self).trimmingCharacters(in: .whitespaces)
            .lowercased()
        var simple: [String: [UInt8]] = [:]
        var extended: [String: [(index: Int, encoded: Bool, value: [UInt8])]] = [:]
        for piece in pieces.dropFirst() {
            guard let equals = piece.firstIndex(of: UInt8(ascii: "=")) else { continue }
            let name = String(decoding: piece[..<equals], as: UTF8.self).trimmingCharacters(in: .whitespaces)
                .lowercased()
            var rawValue = Array(piece[(equals + 1)...])
            while rawValue.first == UInt8(ascii: " ") { rawValue.removeFirst() }
            while rawValue.last == UInt8(ascii: " ") { rawValue.removeLast() }
            if rawValue.count >= 2, rawValue.first == UInt8(ascii: "\""), rawValue.last == UInt8(ascii: "\"") {
                rawValue = unquote(Array(rawValue[1..<(rawValue.count - 1)]))
            }
            guard name.contains("*") else {
                simple[name] = rawValue
                continue
            }
            let encoded = name.hasSuffix("*")
            let parts = name.split(separator: "*", omittingEmptySubsequences: true)
            let base = String(parts[0])
            let index = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            extended[base, default: []].append((index, encoded, rawValue))
        }
        var parameters: [String: String] = [:]
        for (name, bytes) in simple { parameters[name] = decode(bytes) }
        for (name, sections) in extended {
            let ordered = sections.sorted { $0.index < $1.index }
            var charset: String?
            var bytes: [UInt8] = []
            for (position, section) in ordered.enumerated() {
                var value = section.value
                if position == 0 && section.encoded {
                    // charset'language'percent-encoded
                    let quotes = value.indices.filter { value[$0] == UInt8(ascii: "'") }
                    if quotes.count >= 2 {
                        charset = String(decoding: value[..<quotes[0]], as: UTF8.self)
                        value = Array(value[(quotes[1] + 1)...])
                    }
                }
                bytes += section.encoded ? percentDecoded(value) : value
            }
            parameters[name] = MailCharset.decode(bytes, declared: charset).text
        }
        return (value, parameters)
    }

    /// Splits at semicolons outside quotes.
    private static func split(_ raw: [UInt8]) -> [[UInt8]] {
        var pieces: [[UInt8]] = []
        var current: [UInt8] = []
        var quoted = false
        var escaped = false
        for byte in raw {
            if escaped {
                escaped = false
            } else if byte == UInt8(ascii: "\\") && quoted {
                escaped = true
            } else if byte == UInt8(ascii: "\"") {
                quoted.toggle()
            } else if byte == UInt8(ascii: ";") && !quoted {
                pieces.append(current)
                current = []
                continue
            }
            current.append(byte)
        }
        pieces.append(current)
        return pieces
    }

    private static func unquote(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        var escaped = false
        for byte in bytes {
            if !escaped && byte == UInt8(ascii: "\\") {
                escaped = true
                continue
            }
            escaped = false
            output.append(byte)
        }
        return output
    }

    private static func percentDecoded(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
                let value = UInt8(String(decoding: bytes[(index + 1)...(index + 2)], as: UTF8.self), radix: 16)
            {
                output.append(value)
                index += 3
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return output
    }
}

/// The content transfer encodings of RFC 2045.
enum TransferEncoding {
    /// Base64, ignoring line breaks and anything outside the alphabet, tolerant of missing padding.
    static func base64(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var clean = bytes.filter { byte in
            (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
                || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "/")
        }
        while clean.count % 4 != 0 { clean.append(UInt8(ascii: "=")) }
        return Data(base64Encoded: Data(clean)).map { Array($0) } ?? []
    }

    /// Quoted-printable: `=XX` escapes and soft line breaks; in an encoded word `_` is a space.
    static func quotedPrintable(_ bytes: some Collection<UInt8>, underscoreIsSpace: Bool = false) -> [UInt8] {
        let input = Array(bytes)
        var output: [UInt8] = []
        output.reserveCapacity(input.count)
        var index = 0
        while index < input.count {
            let byte = input[index]
            if byte == UInt8(ascii: "=") {
                // A soft line break: "=" before CRLF or LF, possibly after trailing white space.
                var next = index + 1
                while next < input.count && (input[next] == UInt8(ascii: " ") || input[next] == UInt8(ascii: "\t")) {
                    next += 1
                }
                if next < input.count && input[next] == UInt8(ascii: "\r") { next += 1 }
                if next < input.count && input[next] == UInt8(ascii: "\n") {
                    index = next + 1
                    continue
                }
                if next >= input.count {
                    index = next
                    continue
                }
                if index + 2 < input.count,
                    let value = UInt8(String(decoding: input[(index + 1)...(index + 2)], as: UTF8.self), radix: 16)
                {
                    output.append(value)
                    index += 3
                    continue
                }
            }
            output.append(underscoreIsSpace && byte == UInt8(ascii: "_") ? UInt8(ascii: " ") : byte)
            index += 1
        }
        return output
    }
}
