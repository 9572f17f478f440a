import HummingbirdBcrypt

/// Password hashing with bcrypt; the cost is configurable so tests need not spend seconds per hash.
public struct Passwords: Sendable {
    public var cost: UInt8

    public init(cost: UInt8 = 12) { self.cost = cost }

    public func hash(_ password: String) -> String { Bcrypt.hash(password, cost: cost) }

    public func verify(_ password: String, against hash: String) -> Bool { Bcrypt.verify(password, hash: hash) }

}
