/// A type the store's rows read themselves, without the database driver's `Decodable` path, told apart by the
/// identity of its metadata. Callers reach `decode` through `any SQLRow`, so the type is only known at run time;
/// comparing `T.self` with `Value?.self` and casting with `as? T` instantiated and looked up generic metadata for every
/// cell, a tenth of the server's CPU on a PostgreSQL queue view and of `verify-history` on SQLite (perf, 2026-12-05
/// and 2026-12-06).
struct DirectType {
    enum Value { case string, int, int64, bool, double }

    let value: Value
    let optional: Bool

    private static let known: [(ObjectIdentifier, DirectType)] = [
        (ObjectIdentifier(String.self), DirectType(value: .string, optional: false)),
        (ObjectIdentifier(String?.self), DirectType(value: .string, optional: true)),
        (ObjectIdentifier(Int.self), DirectType(value: .int, optional: false)),
        (ObjectIdentifier(Int?.self), DirectType(value: .int, optional: true)),
        (ObjectIdentifier(Int64.self), DirectType(value: .int64, optional: false)),
        (ObjectIdentifier(Int64?.self), DirectType(value: .int64, optional: true)),
        (ObjectIdentifier(Bool.self), DirectType(value: .bool, optional: false)),
        (ObjectIdentifier(Bool?.self), DirectType(value: .bool, optional: true)),
        (ObjectIdentifier(Double.self), DirectType(value: .double, optional: false)),
        (ObjectIdentifier(Double?.self), DirectType(value: .double, optional: true)),
    ]

    private init(value: Value, optional: Bool) {
        self.value = value
        self.optional = optional
    }

    init?<T>(_ type: T.Type) {
        let id = ObjectIdentifier(type)
        guard let found = Self.known.first(where: { $0.0 == id }) else { return nil }
        self = found.1
    }

    /// `value` given back as `T`, which `init` found to be `Value` or `Value?`: a reinterpretation, not a dynamic cast.
    /// Inlined, so that each caller's `Value` is concrete and no `Optional` of a type parameter is instantiated for a
    /// cell (that lookup cost as much as the cast it replaced, on SQLite's history rows).
    @inline(__always)
    func given<Value, T>(_ value: Value, as: T.Type) -> T {
        optional ? unsafeBitCast(Optional(value), to: T.self) : unsafeBitCast(value, to: T.self)
    }

    /// A NULL as `T`, which `init` found to be an optional (`optional`).
    func null<T>(as: T.Type) -> T {
        switch value {
        case .string: unsafeBitCast(String?.none, to: T.self)
        case .int: unsafeBitCast(Int?.none, to: T.self)
        case .int64: unsafeBitCast(Int64?.none, to: T.self)
        case .bool: unsafeBitCast(Bool?.none, to: T.self)
        case .double: unsafeBitCast(Double?.none, to: T.self)
        }
    }
}
