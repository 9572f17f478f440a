import CloseloopApp
import CloseloopCore
import Foundation
import Hummingbird

/// A submitted form: its fields (a name may repeat, as checkboxes do) and any files, read from
/// `application/x-www-form-urlencoded` or `multipart/form-data`, with its CSRF token already checked.
struct WebForm: Sendable {
    struct File: Sendable {
        var field: String
        var fileName: String
        var contentType: String
        var bytes: Data
    }

    /// How many files one staff form may carry.
    static let maxFiles = 20

    var fields: [String: [String]]
    var files: [File]

    init(fields: [String: [String]] = [:], files: [File] = []) {
        self.fields = fields
        self.files = files
    }

    /// Reads the body (already size-capped by `BodyLimitMiddleware`) and checks its `_csrf` field against the
    /// browser's token; a missing or wrong token is refused before anything acts on the form.
    static func read(_ request: Request, limit: Int, state: WebState = .current) async throws -> WebForm {
        var request = request
        let buffer = try await request.collectBody(upTo: limit)
        let bytes = Data(buffer.readableBytesView)
        let contentType = request.headers[.contentType] ?? ""
        let form: WebForm
        if contentType.lowercased().hasPrefix("multipart/form-data") {
            guard let boundary = MultipartParser.boundary(from: contentType),
                let parsed = MultipartParser.parse(bytes, boundary: boundary)
            else { throw WebError.badRequest("malformed multipart body") }
            form = parsed
        } else {
            form = WebForm(fields: FormEncoding.decode(String(decoding: bytes, as: UTF8.self)))
        }
        guard let token = form.fields["_csrf"]?.first,
            RandomToken.equal(token, state.csrfToken)
                || state.anonymousCSRFToken.map({ RandomToken.equal(token, $0) }) == true
        else {
            throw WebError.badCSRF
        }
        return form
    }

    /// The trimmed value of a field; empty when absent.
    subscript(_ name: String) -> String {
        (fields[name]?.first ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The trimmed value, or nil when absent or blank.
    func optional(_ name: String) -> String? {
        let value = self[name]
        return value.isEmpty ? nil : value
    }

    /// Every non-empty value of a repeated field (checkboxes, multi-selects).
    func all(_ name: String) -> [String] {
        (fields[name] ?? []).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func bool(_ name: String) -> Bool {
        ["1", "true", "on", "yes"].contains(self[name].lowercased())
    }

    /// Uploaded files of a field that actually carry content (a browser sends an empty part for no file).
    func files(_ name: String) -> [File] {
        files.filter { $0.field == name && !$0.bytes.isEmpty }
    }
}

/// A small `multipart/form-data` reader (RFC 7578): enough for browsers' forms with text fields and files.
enum MultipartParser {
    static func boundary(from contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let parts = parameter.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces).lowercased() == "boundary" else {
                continue
            }
            let value = parts[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(
                in: CharacterSet(charactersIn: "\""))
            return value.isEmpty || value.count > 200 ? nil : value
        }
        return nil
    }

    static func parse(_ body: Data, boundary: String) -> WebForm? {
        let bytes = [UInt8](body)
        let delimiter = Array("--\(boundary)".utf8)
        var form = WebForm()
        guard var position = find(delimiter, in: bytes, from: 0) else { return nil }
        while true {
            position += delimiter.count
            // "--" after a delimiter closes the body.
            if position + 1 < bytes.count, bytes[position] == 45, bytes[position + 1] == 45 { return form }
            guard position + 1 < bytes.count, bytes[position] == 13, bytes[position + 1] == 10 else { return nil }
            position += 2
            guard let headerEnd = find(Array("\r\n\r\n".utf8), in: bytes, from: position) else { return nil }
            let headers = String(decoding: bytes[position..<headerEnd], as: UTF8.self)
            let contentStart = headerEnd + 4
            guard let next = find(Array("\r\n".utf8) + delimiter, in: bytes, from: contentStart) else { return nil }
            let content = Data(bytes[contentStart..<next])
            var name: String?
            var fileName: String?
            var type = "application/octet-stream"
            for line in headers.components(separatedBy: "\r\n") {
                let lower = line.lowercased()
                if lower.hasPrefix("content-disposition:") {
                    name = parameter("name", in: line)
                    fileName = parameter("filename", in: line)
                } else if lower.hasPrefix("content-type:") {
                    type = String(line.dropFirst("content-type:".count)).trimmingCharacters(in: .whitespaces)
                }
            }
            if let name {
                if let fileName {
                    form.files.append(WebForm.File(field: name, fileName: fileName, contentType: type, bytes: content))
                } else {
                    form.fields[name, default: []].append(String(decoding: content, as: UTF8.self))
                }
            }
            position = next + 2
        }
    }

    private static func parameter(_ name: String, in header: String) -> String? {
        for part in header.split(separator: ";").dropFirst() {
            let pieces = part.split(separator: "=", maxSplits: 1)
            guard pieces.count == 2, pieces[0].trimmingCharacters(in: .whitespaces).lowercased() == name else {
                continue
            }
            return pieces[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(
                in: CharacterSet(charactersIn: "\""))
        }
        return nil
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else {
            return nil
        }
        let first = needle[0]
        var index = start
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first {
                var matched = true
                for offset in 1..<needle.count where haystack[index + offset] != needle[offset] {
                    matched = false
                    break
                }
                if matched { return index }
            }
            index += 1
        }
        return nil
    }
}
