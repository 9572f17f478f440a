import Foundation

/// The API's OpenAPI document, the same file the server code is generated from, for serving at `/api/v1/openapi.yaml`.
public enum OpenAPIDocument {
    /// The YAML text, or nil when the resource bundle is missing from an installation.
    public static func yaml() -> Data? {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else { return nil }
        return try? Data(contentsOf: url)
    }
}
