import CloseloopCore
import CloseloopStore
import Crypto
import Foundation

/// The link in a customer's messages that opens their complaint on the portal without the number-and-phone form:
/// `/portal/open/<id>/<token>`, the token an HMAC of the complaint's id under a secret made once and kept in the
/// settings, so every instance signs and checks alike and no link can be made for another complaint.
public actor CustomerLinks {
    static let secretKey = "customer_link_secret"

    private let store: SQLStore
    private let time: any TimeSource
    private var secret: SymmetricKey?

    init(store: SQLStore, time: any TimeSource) {
        self.store = store
        self.time = time
    }

    /// The portal path that opens `complaint`.
    public func path(for complaint: ComplaintID) async throws -> String {
        "/portal/open/\(complaint.rawValue)/\(try await token(for: complaint))"
    }

    /// The full link under the portal's public address, or nil when no address is set.
    public func url(for complaint: ComplaintID, portal: String?) async throws -> String? {
        guard let base = portal?.trimmingCharacters(in: .whitespaces), !base.isEmpty else { return nil }
        let trimmed = base.hasSuffix("/") ? String(base.dropLast()) : base
        return trimmed + (try await path(for: complaint))
    }

    /// Whether `token` is the one for `complaint`.
    public func verify(_ token: String, for complaint: ComplaintID) async throws -> Bool {
        RandomToken.equal(try await self.token(for: complaint), token)
    }

    private func token(for complaint: ComplaintID) async throws -> String {
        let key = try await key()
        let code = HMAC<SHA256>.authenticationCode(for: Data(complaint.rawValue.utf8), using: key)
        return Data(code).prefix(20).map { String(format: "%02x", $0) }.joined()
    }

    private func key() async throws -> SymmetricKey {
        if let secret { return secret }
        let stored = try await store.settingOrInsert(Self.secretKey, RandomToken.make(), at: time.instant())
        let key = SymmetricKey(data: Data(stored.utf8))
        secret = key
        return key
    }
}
