import CloseloopCore
import CloseloopStore
import Foundation

/// The company's staff and departments: who exists, and the one set of rules for adding and changing them, whether
/// an administrator does it on `/admin` or an operator with `closeloop user` / `closeloop department`.
public struct StaffDirectory: Sendable {
    let store: SQLStore
    let passwords: Passwords
    let time: any TimeSource
    let audit: AuditLog

    // MARK: - Reading

    public func users() async throws -> [UserAccount] { try await store.users() }
    public func departments() async throws -> [Department] { try await store.departments() }
    public func user(username: String) async throws -> UserAccount? { try await store.user(username: username) }
    public func user(id: UserID) async throws -> UserAccount? { try await store.user(id: id) }

    // MARK: - Users

    /// A staff account to create. Without a password one is generated and returned once.
    public struct NewUser: Sendable {
        public var username: String
        public var displayName: String
        public var password: String?
        public var department: DepartmentID?
        public var grants: [RoleGrant]
        public var language: Language

        public init(
            username: String, displayName: String, password: String?, department: DepartmentID?,
            grants: [RoleGrant], language: Language = .zhHans
        ) {
            self.username = username
            self.displayName = displayName
            self.password = password
            self.department = department
            self.grants = grants
            self.language = language
        }
    }

    /// Creates the account (its id is its username) and returns it with the generated password, if one was made.
    public func add(_ new: NewUser, by actor: Operator) async throws -> (
        account: UserAccount, generatedPassword: String?
    ) {
        try actor.require(anyOf: [.administrator])
        var issues = Self.usernameIssues(new.username) + Self.nameIssues(new.displayName, field: "displayName")
        if let password = new.password { issues += Self.passwordIssues(password) }
        issues += try await referenceIssues(department: new.department, grants: new.grants)
        if issues.allSatisfy({ $0.field != "username" }), try await store.user(username: new.username) != nil {
            issues.append(
                FieldIssue(
                    field: "username", code: "taken", message: LocalizedText(zh: "该用户名已存在", en: "is taken")))
        }
        guard issues.isEmpty else { throw DomainError.validation(issues) }
        let generated = new.password == nil ? Self.generatedPassword() : nil
        let account = UserAccount(
            id: UserID(new.username), username: new.username, displayName: new.displayName,
            passwordHash: passwords.hash(new.password ?? generated!), department: new.department,
            grants: new.grants, language: new.language, active: true, createdAt: time.instant())
        try await store.createUser(account)
        try await audit.record(
            "user.create", subject: new.username, detail: new.grants.map(Self.describe).joined(separator: ","),
            by: actor)
        return (account, generated)
    }

    /// What may change on an account; nil leaves a field as it is.
    public struct Changes: Sendable {
        public var displayName: String?
        public var department: DepartmentID??
        public var grants: [RoleGrant]?
        public var language: Language?
        public var active: Bool?
        public var password: String?

        public init(
            displayName: String? = nil, department: DepartmentID?? = nil, grants: [RoleGrant]? = nil,
            language: Language? = nil, active: Bool? = nil, password: String? = nil
        ) {
            self.displayName = displayName
            self.department = department
            self.grants = grants
            self.language = language
            self.active = active
            self.password = password
        }
    }

    /// Changes an account. Nobody removes their own administrator role or deactivates themselves; whoever loses
    /// rights, a password or the account itself must sign in again.
    @discardableResult
    public func update(_ username: String, _ changes: Changes, by actor: Operator) async throws -> UserAccount {
        try actor.require(anyOf: [.administrator])
        guard var user = try await store.user(username: username) else { throw StoreError.userNotFound(username) }
        var issues: [FieldIssue] = []
        if let name = changes.displayName { issues += Self.nameIssues(name, field: "displayName") }
        if let password = changes.password { issues += Self.passwordIssues(password) }
        issues += try await referenceIssues(department: changes.department ?? nil, grants: changes.grants ?? [])
        if case .staff(let admin) = actor, admin.id == user.id {
            let keepsAdmin = (changes.grants ?? user.grants).contains { $0.role == .administrator }
            let staysActive = changes.active ?? user.active
            if !keepsAdmin || !staysActive {
                issues.append(
                    FieldIssue(
                        field: keepsAdmin ? "active" : "grants", code: "own_administrator",
                        message: LocalizedText(
                            zh: "不能取消自己的管理员角色或停用自己",
                            en: "you cannot remove your own administrator role or deactivate yourself")))
            }
        }
        guard issues.isEmpty else { throw DomainError.validation(issues) }
        let before = user
        if let name = changes.displayName { user.displayName = name }
        if let department = changes.department { user.department = department }
        if let grants = changes.grants { user.grants = grants }
        if let language = changes.language { user.language = language }
        if let active = changes.active { user.active = active }
        if let password = changes.password { user.passwordHash = passwords.hash(password) }
        try await store.updateUser(user)
        let lostAccess = !user.active || changes.password != nil || before.grants != user.grants
        if case .staff(let admin) = actor, admin.id == user.id {
            // The administrator's own session stays: they changed themselves on purpose.
        } else if lostAccess {
            try await store.deleteSessions(of: user.id)
        }
        try await audit.record(
            "user.update", subject: username,
            detail: Self.describe(from: before, to: user, passwordReset: changes.password != nil),
            by: actor)
        return user
    }

    /// The interface language a user chose for themselves (the switch in the header): not an administrative
    /// change, so it is not audited.
    public func setLanguage(_ language: Language, of user: UserAccount) async throws {
        var changed = user
        changed.language = language
        try await store.updateUser(changed)
    }

    // MARK: - Departments

    /// Adds a department, or renames an existing one.
    public func saveDepartment(_ id: String, zh: String, en: String, by actor: Operator) async throws {
        try actor.require(anyOf: [.administrator])
        var issues: [FieldIssue] = []
        if !Self.isCode(id) {
            issues.append(
                FieldIssue(
                    field: "id", code: "invalid",
                    message: LocalizedText(
                        zh: "编码须为 2–40 个小写字母、数字、下划线或连字符",
                        en: "must be 2–40 lowercase letters, digits, _ or -")))
        }
        issues += Self.nameIssues(zh, field: "zh") + Self.nameIssues(en, field: "en")
        guard issues.isEmpty else { throw DomainError.validation(issues) }
        let name = LocalizedText(
            zh: zh.trimmingCharacters(in: .whitespaces), en: en.trimmingCharacters(in: .whitespaces))
        try await store.saveDepartment(Department(id: DepartmentID(id), name: name))
        try await audit.record("department.save", subject: id, detail: "\(name.zhHans) / \(name.en)", by: actor)
    }

    // MARK: - Rules

    /// A username is also the user's id in every complaint's history: 2–40 lowercase letters, digits, `.`, `_`, `-`.
    static func usernameIssues(_ username: String) -> [FieldIssue] {
        guard (2...40).contains(username.count),
            username.allSatisfy({ ($0.isASCII && ($0.isLowercase || $0.isNumber)) || "._-".contains($0) })
        else {
            return [
                FieldIssue(
                    field: "username", code: "invalid",
                    message: LocalizedText(
                        zh: "用户名须为 2–40 个小写字母、数字或 . _ -", en: "must be 2–40 lowercase letters, digits, '.', '_' or '-'")
                )
            ]
        }
        return []
    }

    static func nameIssues(_ name: String, field: String) -> [FieldIssue] {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return [.required(field)] }
        return TextRules.issue(trimmed, field: field, max: TextRules.short, shape: .singleLine).map { [$0] } ?? []
    }

    /// 10 to 72 characters (bcrypt reads no further).
    static func passwordIssues(_ password: String) -> [FieldIssue] {
        if password.count < 10 {
            return [
                FieldIssue(
                    field: "password", code: "too_short",
                    message: LocalizedText(zh: "密码至少 10 个字符", en: "must be at least 10 characters"))
            ]
        }
        if password.count > 72 { return [.tooLong("password", max: 72)] }
        return []
    }

    /// Department ids appear in role scopes (`handler@after_sales`) and addresses.
    static func isCode(_ id: String) -> Bool {
        (2...40).contains(id.count)
            && id.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "_" || $0 == "-" }
    }

    private func referenceIssues(department: DepartmentID?, grants: [RoleGrant]) async throws -> [FieldIssue] {
        let named = Set([department].compactMap { $0 } + grants.compactMap(\.department))
        guard !named.isEmpty else { return [] }
        let known = Set(try await store.departments().map(\.id))
        var issues: [FieldIssue] = []
        if let department, !known.contains(department) {
            issues.append(.invalid("department", zh: "没有这个部门", en: "is not a department"))
        }
        if grants.contains(where: { $0.department.map { !known.contains($0) } ?? false }) {
            issues.append(.invalid("grants", zh: "角色范围中的部门不存在", en: "name a department that does not exist"))
        }
        return issues
    }

    static func generatedPassword() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<16).map { _ in alphabet.randomElement(using: &generator)! })
    }

    static func describe(_ grant: RoleGrant) -> String { "\(grant.role.rawValue)@\(grant.department?.rawValue ?? "*")" }

    private static func describe(from before: UserAccount, to user: UserAccount, passwordReset: Bool) -> String {
        var changes: [String] = []
        if before.displayName != user.displayName { changes.append("name") }
        if before.department != user.department { changes.append("department=\(user.department?.rawValue ?? "-")") }
        if before.grants != user.grants { changes.append("roles=" + user.grants.map(describe).joined(separator: ",")) }
        if before.active != user.active { changes.append("active=\(user.active)") }
        if passwordReset { changes.append("password reset") }
        if before.language != user.language { changes.append("language=\(user.language.rawValue)") }
        return changes.joined(separator: "; ")
    }
}
