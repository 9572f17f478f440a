import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// A browser's view of the web pages: it keeps cookies between requests, reads the CSRF token from the last page
/// it loaded, and posts forms the way a browser does (URL-encoded, or multipart when files are attached).
actor WebBrowser {
    let client: any TestClientProtocol
    private(set) var cookies: [String: String] = [:]
    private(set) var lastPage = ""
    var acceptLanguage: String?

    init(_ server: TestServer, acceptLanguage: String? = nil) {
        client = server.client
        self.acceptLanguage = acceptLanguage
    }

    /// A file for a multipart form.
    struct Upload: Sendable {
        var field: String
        var name: String
        var type: String
        var bytes: [UInt8]
    }

    /// One answer, with what a test asks of it.
    struct Page: Sendable, CustomTestStringConvertible {
        /// Failed expectations print the status and title, not a whole page.
        var testDescription: String {
            let title = html.range(of: "<title>").flatMap { start in
                html[start.upperBound...].range(of: "</title>").map { String(html[start.upperBound..<$0.lowerBound]) }
            }
            return "\(status.code) \(title ?? String(html.prefix(120)))"
        }

        var status: HTTPResponse.Status
        var html: String
        var location: String?
        var headers: HTTPFields
        /// The body as sent, for downloads that are not text.
        var bytes: [UInt8] = []

        func contains(_ text: String) -> Bool { html.contains(text) }

        /// The value of the input named `name`, as the page pre-fills it.
        func inputValue(_ name: String) -> String? {
            for tag in Self.tags("input", in: html) where Self.attribute("name", in: tag) == name {
                return Self.attribute("value", in: tag).map(Self.unescape)
            }
            return nil
        }

        /// The text inside the first textarea named `name`, or the one with `id`.
        func textarea(_ name: String? = nil, id: String? = nil) -> String? {
            let marker = id.map { "id=\"\($0)\"" } ?? "name=\"\(name ?? "")\""
            guard let start = html.range(of: marker) else { return nil }
            guard let open = html[start.upperBound...].range(of: ">"),
                let close = html[open.upperBound...].range(of: "</textarea>")
            else { return nil }
            return Self.unescape(String(html[open.upperBound..<close.lowerBound]))
        }

        /// The value of the `selected` option of the select named `name`.
        func selected(_ name: String) -> String? {
            guard let start = html.range(of: "name=\"\(name)\""),
                let end = html[start.upperBound...].range(of: "</select>")
            else { return nil }
            let body = String(html[start.upperBound..<end.lowerBound])
            for tag in Self.tags("option", in: body) where tag.contains(" selected") {
                return Self.attribute("value", in: tag)
            }
            return nil
        }

        static func tags(_ name: String, in html: String) -> [String] {
            var found: [String] = []
            var rest = html[...]
            while let open = rest.range(of: "<\(name) ") ?? rest.range(of: "<\(name)>") {
                guard let close = rest[open.upperBound...].range(of: ">") else { break }
                found.append(String(rest[open.lowerBound..<close.upperBound]))
                rest = rest[close.upperBound...]
            }
            return found
        }

        static func attribute(_ name: String, in tag: String) -> String? {
            guard let start = tag.range(of: " \(name)=\"") else { return nil }
            guard let end = tag[start.upperBound...].firstIndex(of: "\"") else { return nil }
            return String(tag[start.upperBound..<end])
        }

        static func unescape(_ text: String) -> String {
            text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
                .replacingOccurrences(of: "&amp;", with: "&")
        }
    }

    /// The CSRF token of the last page (every form of a page carries the same one).
    var csrf: String { Page(status: .ok, html: lastPage, location: nil, headers: [:]).inputValue("_csrf") ?? "" }

    @discardableResult
    func get(_ path: String) async throws -> Page {
        try await send(.get, path, body: nil, contentType: nil)
    }

    /// Posts a form with the page's CSRF token added unless `csrf` says otherwise.
    @discardableResult
    func post(
        _ path: String, _ fields: [(String, String)], files: [Upload] = [], csrf token: String? = nil
    ) async throws -> Page {
        var fields = fields
        let csrfValue = token ?? csrf
        if !csrfValue.isEmpty { fields.insert(("_csrf", csrfValue), at: 0) }
        if files.isEmpty {
            let body = fields.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
            return try await send(
                .post, path, body: ByteBuffer(string: body), contentType: "application/x-www-form-urlencoded")
        }
        let boundary = "----closeloop-test-\(UUID().uuidString)"
        var body = ByteBuffer()
        for (name, value) in fields {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        for file in files {
            body.writeString(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.name)\"\r\n"
                    + "Content-Type: \(file.type)\r\n\r\n")
            body.writeBytes(file.bytes)
            body.writeString("\r\n")
        }
        body.writeString("--\(boundary)--\r\n")
        return try await send(.post, path, body: body, contentType: "multipart/form-data; boundary=\(boundary)")
    }

    /// Follows a redirect the way a browser would (a GET to its location).
    func follow(_ page: Page) async throws -> Page {
        guard let location = page.location else { return page }
        return try await get(location)
    }

    /// Signs in through the form; returns the page after the redirect.
    @discardableResult
    func signIn(_ username: String, password: String = Staff.password) async throws -> Page {
        try await get("/login")
        let answer = try await post("/login", [("username", username), ("password", password)])
        return answer.status == .seeOther ? try await follow(answer) : answer
    }

    func forgetCookie(_ name: String) { cookies[name] = nil }

    func setCookie(_ name: String, _ value: String) { cookies[name] = value }

    private func send(_ method: HTTPRequest.Method, _ path: String, body: ByteBuffer?, contentType: String?)
        async throws -> Page
    {
        var headers: HTTPFields = [:]
        if !cookies.isEmpty {
            headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        }
        if let contentType { headers[.contentType] = contentType }
        if let acceptLanguage { headers[.acceptLanguage] = acceptLanguage }
        let response = try await client.execute(uri: path, method: method, headers: headers, body: body)
        for field in response.headers where field.name == .setCookie {
            let pair = field.value.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let name = String(pair[0])
            let value = String(pair[1])
            if value.isEmpty || field.value.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
        }
        let html = String(buffer: response.body)
        if response.headers[.contentType]?.hasPrefix("text/html") == true, response.status != .seeOther {
            lastPage = html
        }
        return Page(
            status: response.status, html: html, location: response.headers[.location], headers: response.headers,
            bytes: Array(buffer: response.body))
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
