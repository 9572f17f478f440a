import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation
import Hummingbird
import Mustache

/// Renders pages from the Mustache templates under `Web/Templates`, each inside the shared layout.
public struct WebRenderer: Sendable {
    public let library: MustacheLibrary
    public let strings: UIStrings
    /// The static files (stylesheet, script), served from memory with a version in their URL.
    public let assets: [String: (type: String, bytes: Data)]
    /// Changes whenever an asset changes, so browsers may cache assets for good.
    public let assetVersion: String

    public static func bundled() throws -> WebRenderer {
        guard let templates = Bundle.module.url(forResource: "Templates", withExtension: nil),
            let statics = Bundle.module.url(forResource: "Static", withExtension: nil)
        else { throw WebResourceError.missing("Templates") }
        var library = MustacheLibrary()
        for (name, text) in try Self.files(in: templates, extension: "mustache") {
            try library.register(text, named: name)
        }
        var assets: [String: (type: String, bytes: Data)] = [:]
        var digestInput = Data()
        for file in try FileManager.default.contentsOfDirectory(atPath: statics.path).sorted() {
            let bytes = try Data(contentsOf: statics.appendingPathComponent(file))
            let type =
                file.hasSuffix(".css")
                ? "text/css; charset=utf-8" : file.hasSuffix(".js") ? "text/javascript; charset=utf-8" : "image/svg+xml"
            assets[file] = (type, bytes)
            digestInput.append(bytes)
        }
        let version = String(CloseloopStore.Digest.sha256(digestInput).prefix(10))
        return WebRenderer(library: library, strings: try UIStrings.bundled(), assets: assets, assetVersion: version)
    }

    /// Every template's name (path below the folder, without extension) and text.
    static func files(in folder: URL, extension ext: String) throws -> [(String, String)] {
        guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        var found: [(String, String)] = []
        for case let path as String in walker where path.hasSuffix(".\(ext)") {
            let text = try String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8)
            found.append((String(path.dropLast(ext.count + 1)), text))
        }
        return found
    }

    /// A full HTML page: `template` rendered with `context` plus what every page knows (words, user, CSRF token).
    public func page(
        _ template: String, _ context: [String: Any], status: HTTPResponse.Status = .ok, state: WebState
    ) -> Response {
        var values = context
        values["t"] = strings.table(state.language)
        values["lang"] = state.language.rawValue
        values["htmlLang"] = state.language == .zhHans ? "zh-CN" : "en"
        values["otherLanguage"] = state.language == .zhHans ? "en" : "zh-Hans"
        values["otherLanguageName"] = state.language == .zhHans ? "English" : "中文"
        values["csrf"] = state.csrfToken
        values["assetVersion"] = assetVersion
        if values["returnPath"] == nil { values["returnPath"] = state.path }
        if let user = state.user {
            values["user"] =
                [
                    "name": user.displayName, "username": user.username,
                    "isAdmin": user.grants.contains { $0.role == .administrator },
                    "isIntake": user.grants.contains { $0.role == .agent || $0.role == .supervisor },
                    "canReport": user.grants.contains { ReportPages.readers.contains($0.role) },
                    "canDashboard": ReportAccess.defaultScope(of: user.staffMember).allowed,
                    "isQuality": QualityChecks.mayCheck(user),
                ] as [String: Any]
        }
        let html =
            library.render(TemplateValue.clean(values), withTemplate: template) ?? "template \(template) is missing"
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"]
        headers[.init("X-Frame-Options")!] = "DENY"
        headers[.init("X-Content-Type-Options")!] = "nosniff"
        headers[.init("Referrer-Policy")!] = "same-origin"
        headers[.init("Content-Security-Policy")!] =
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    /// A redirect after a successful form post, so reloading does not post twice.
    public static func redirect(to location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }
}
