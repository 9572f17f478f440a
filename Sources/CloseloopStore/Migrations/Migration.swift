/// One numbered step of the schema, identical in meaning on both dialects; statements may differ where the dialects do.
public struct Migration: Sendable {
    public var number: Int
    public var name: String
    public var statements: @Sendable (SQLDialectKind) -> [String]

    public init(number: Int, name: String, statements: @escaping @Sendable (SQLDialectKind) -> [String]) {
        self.number = number
        self.name = name
        self.statements = statements
    }
}
