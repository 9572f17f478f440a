/// The two databases Closeloop runs on; each dialect corner (search, triggers, locking) switches on this.
public enum SQLDialectKind: String, Sendable, CaseIterable {
    case sqlite, postgres
}
