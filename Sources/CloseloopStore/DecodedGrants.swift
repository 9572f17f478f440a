import CloseloopCore
import Synchronization

/// Role grants already decoded from their stored JSON. Every authenticated request reads its user, and decoding the
/// grants was 3 % of an intake's CPU; the same few texts come back again and again. Keyed by the text itself, so a
/// changed grant is a new key and never a stale answer.
enum DecodedGrants {
    /// Beyond this many distinct texts the cache starts over (a company has far fewer distinct role sets).
    private static let capacity = 1_000
    private static let decoded = Mutex<[String: [RoleGrant]]>([:])

    static func grants(_ text: String) throws -> [RoleGrant] {
        if let grants = decoded.withLock({ $0[text] }) { return grants }
        let grants = try StoreCoding.decode([RoleGrant].self, from: text)
        decoded.withLock { cache in
            if cache.count >= capacity { cache.removeAll(keepingCapacity: true) }
            cache[text] = grants
        }
        return grants
    }
}
