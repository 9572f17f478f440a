import Foundation

/// One part of a MIME message (RFC 2045–2047), the message itself included: its headers as raw bytes (unfolded),
/// its content type and parameters, and its body decoded from its transfer encoding, or its parts.
struct MIMEPart {
    var headers: [(name: String, value: [UInt8])]
    var contentType: String
    var parameters: [String: String]
    var body: [UInt8]
    var parts: [MIMEPart]

    /// How deep multiparts may nest before the rest is kept whole: real clients nest three or four levels.
    static let maxDepth = 12

    init(_ raw: [UInt8], depth: Int = 0, defaultType: String = "text/plain") {
        let (head, rest) = Self.splitHead(raw)
        headers = Self.headers(head)
        let type = headers.first { $0.name == "content-type" }.map { EncodedWords.parameters($0.value) }
        contentType = type.map { $0.value.isEmpty ? defaultType : $0.value } ?? defaultType
        parameters = type?.parameters ?? [:]
        parts = []
        let encoding = headers.first { $0.name == "content-transfer-encoding" }
            .map { String(decoding: $0.value, as: UTF8.self).trimmingCharacters(in: .whitespaces).lowercased() }
        if contentType.hasPrefix("multipart/"), let boundary = parameters["boundary"], !boundary.isEmpty,
            depth < Self.maxDepth
        {
            body = []
            // In multipart/digest a part without a type is a message.
            let childType = contentType == "multipart/digest" ? "message/rfc822" : "text/plain"
            parts = Self.split(rest, boundary: Array(boundary.utf8)).map {
                MIMEPart($0, depth: depth + 1, defaultType: childType)
            }
        } else {
            switch encoding {
            case "base64": body = TransferEncoding.base64(rest)
            case "quoted-printable": body = TransferEncoding.quotedPrintable(rest)
            default: body = rest
            }
        }
    }

    func header(_ name: String) -> [UInt8]? { headers.first { $0.name == name }?.value }

    /// Every leaf part, depth first, in order.
    func walk(_ visit: (MIMEPart) -> Void) {
        if parts.isEmpty { visit(self) } else { for part in parts { part.walk(visit) } }
    }

    /// The part as text in its declared (or detected) charset.
    var text: String { MailCharset.decode(body, declared: parameters["charset"]).text }

    /// The part as a file, nil for a body text: anything with a file name or an attachment disposition, any
    /// non-text part (an inline image, a forwarded message), kept whole.
    var attachment: ParsedMail.Attachment? {
        let disposition = header("content-disposition").map { EncodedWords.parameters($0) }
        let name = disposition?.parameters["filename"] ?? parameters["name"]
        let isAttachment = disposition?.value == "attachment"
        guard isAttachment || name != nil || !contentType.hasPrefix("text/") else { return nil }
        let contentID = header("content-id").flatMap { ParsedMail.ids(String(decoding: $0, as: UTF8.self)).first }
        return ParsedMail.Attachment(
            fileName: Self.safeFileName(name, type: contentType), contentType: contentType, data: Data(body),
            contentID: contentID, inline: disposition?.value == "inline" || (disposition == nil && contentID != nil))
    }

    /// A file name without a path, control characters or an empty stem; one made up from the type when missing.
    static func safeFileName(_ name: String?, type: String) -> String {
        let base = (name ?? "").split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let cleaned = String(base.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(Character.init))
            .trimmingCharacters(in: .whitespaces)
        if !cleaned.isEmpty && cleaned != "." && cleaned != ".." { return String(cleaned.prefix(200)) }
        let extensions = [
            "image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "application/pdf": "pdf",
            "message/rfc822": "eml", "text/plain": "txt", "text/html": "html",
        ]
        return "attachment." + (extensions[type] ?? "bin")
    }

    /// The header block and the body, split at the first empty line (CRLF or LF line ends).
    static func splitHead(_ raw: [UInt8]) -> (head: ArraySlice<UInt8>, body: [UInt8]) {
        var index = 0
        var lineStart = 0
        while index < raw.count {
            if raw[index] == UInt8(ascii: "\n") {
                let line = raw[lineStart..<index]
                if line.isEmpty || line == [UInt8(ascii: "\r")] {
                    return (raw[0..<lineStart], Array(raw[(index + 1)...]))
                }
                lineStart = index + 1
            }
            index += 1
        }
        // No empty line: all header, or (no colon on the first line) all body.
        let firstLine = raw.prefix { $0 != UInt8(ascii: "\n") }
        return firstLine.contains(UInt8(ascii: ":")) ? (raw[...], []) : (raw[0..<0], raw)
    }

    /// Header fields, names lower-cased, continuation lines joined (RFC 5322 unfolding).
    static func headers(_ head: ArraySlice<UInt8>) -> [(name: String, value: [UInt8])] {
        var fields: [(name: String, value: [UInt8])] = []
        for var line in head.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            if let first = line.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") {
                if !fields.isEmpty {
                    fields[fields.count - 1].value += [UInt8(ascii: " ")] + line.drop { $0 == 32 || $0 == 9 }
                }
                continue
            }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { continue }
            let name = String(decoding: line[line.startIndex..<colon], as: UTF8.self).trimmingCharacters(
                in: .whitespaces
            )
            .lowercased()
            fields.append((name, Array(line[(colon + 1)...].drop { $0 == 32 || $0 == 9 })))
        }
        return fields
    }

    /// The parts between `--boundary` lines, up to `--boundary--` (or the end, when a client forgot it).
    static func split(_ body: [UInt8], boundary: [UInt8]) -> [[UInt8]] {
        let delimiter = [UInt8(ascii: "-"), UInt8(ascii: "-")] + boundary
        var parts: [[UInt8]] = []
        var current: [UInt8]?
        var lineStart = 0
        var index = 0
        func isDelimiter(_ line: ArraySlice<UInt8>) -> (match: Bool, last: Bool) {
            var line = line
            while let last = line.last, last == UInt8(ascii: "\r") || last == 32 || last == 9 { line = line.dropLast() }
            guard line.starts(with: delimiter) else { return (false, false) }
            let rest = line.dropFirst(delimiter.count)
            if rest.isEmpty { return (true, false) }
            if rest.elementsEqual([UInt8(ascii: "-"), UInt8(ascii: "-")]) { return (true, true) }
            return (false, false)
        }
        while index <= body.count {
            if index == body.count || body[index] == UInt8(ascii: "\n") {
                let line = body[lineStart..<index]
                let (match, last) = isDelimiter(line)
                if match {
                    if var part = current {
                        // The line break before a delimiter belongs to the delimiter.
                        if part.last == UInt8(ascii: "\n") { part.removeLast() }
                        if part.last == UInt8(ascii: "\r") { part.removeLast() }
                        parts.append(part)
                    }
                    if last { return parts }
                    current = []
                } else if current != nil {
                    current! += body[lineStart..<min(index + 1, body.count)]
                }
                lineStart = index + 1
            }
            index += 1
        }
        if let current, !current.isEmpty { parts.append(current) }
        return parts
    }
}
