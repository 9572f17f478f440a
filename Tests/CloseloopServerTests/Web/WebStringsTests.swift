import CloseloopApp
import CloseloopCore
import CloseloopServer
import Foundation
import Testing

/// Every word of the web interface exists in both languages: a key used by a template or a page but missing from
/// either table fails here, before a user sees ⟦key⟧ on a page.
@Suite("Web strings")
struct WebStringsTests {
    static let webFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/CloseloopServer/Web")

    private static func files(_ folder: String, ending: String) throws -> [String] {
        let root = webFolder.appendingPathComponent(folder)
        let walker = try #require(FileManager.default.enumerator(atPath: root.path))
        return try walker.compactMap { $0 as? String }.filter { $0.hasSuffix(ending) }.map {
            try String(contentsOf: root.appendingPathComponent($0), encoding: .utf8)
        }
    }

    private static func matches(_ pattern: String, in texts: [String]) throws -> Set<String> {
        let regex = try NSRegularExpression(pattern: pattern)
        var found: Set<String> = []
        for text in texts {
            let range = NSRange(text.startIndex..., in: text)
            for match in regex.matches(in: text, range: range) {
                if let key = Range(match.range(at: 1), in: text) { found.insert(String(text[key])) }
            }
        }
        return found
    }

    /// Keys built from a prefix and an enum's raw value, which no pattern can find in the source.
    static var composedKeys: Set<String> {
        var keys: Set<String> = []
        func add<Value: RawRepresentable & CaseIterable>(_ prefix: String, _ type: Value.Type)
        where Value.RawValue == String {
            for value in Value.allCases { keys.insert("\(prefix)_\(value.rawValue)") }
        }
        add("channel", Channel.self)
        add("kind", ComplaintKind.self)
        add("severity", Severity.self)
        add("remedy", Remedy.self)
        add("solution", SolutionType.self)
        add("cause", RootCause.self)
        add("outcome", ContactOutcome.self)
        add("condition", ClockCondition.self)
        add("resolution", Resolution.self)
        add("template", MessageTemplates.Purpose.self)
        add("alert", ClockAlert.Kind.self)
        for basis in ["working", "calendar"] { keys.insert("basis_\(basis)") }
        for actor in ["staff", "customer", "system"] { keys.insert("actor_\(actor)") }
        for view in ["mine", "department", "unassigned", "approvals", "due", "all"] { keys.insert("queue_\(view)") }
        for order in ["received", "due"] { keys.insert("sort_\(order)") }
        for day in Weekday.allCases { keys.insert("weekday_\(day.name)") }
        for item in ["identity", "contact", "reference", "description", "attachments"] {
            keys.insert("missing_\(item)")
        }
        for section in ["users", "departments", "categories", "policy", "calendar", "authority", "templates", "audit"] {
            keys.insert("admin_\(section)")
        }
        for step in ["submitted", "respond", "confirm", "information"] { keys.insert("portal_done_\(step)") }
        for action in [
            "user_create", "user_update", "department_save", "token_create", "settings_categories", "settings_policy",
            "settings_calendar", "settings_authority", "settings_templates",
        ] {
            keys.insert("audit_\(action)")
        }
        for field in ["comment", "score", "note"] { keys.insert("portal_field_\(field)") }
        for name in [
            "firstResponse", "resolution", "customerUpdate", "firstContact", "secondContact", "maxContacts", "penalty",
            "report", "reopenWindowDays", "repeatWindowDays",
        ] {
            keys.insert("policy_\(name)")
        }
        for type in [
            "received", "completeness_checked", "information_provided", "validity_decided", "request_answered",
            "assigned", "reassigned", "reclassified", "customer_contacted", "analysis_submitted", "solution_proposed",
            "approval_decided", "customer_responded", "progress_recorded", "result_returned", "verified",
            "return_visit_recorded", "closed", "reopened", "delay_requested", "delay_decided", "note_added",
            "incident_linked", "case_written", "archived", "clock_alerted", "message_received", "customer_updated",
            "update_preference_set",
        ] {
            keys.insert("event_\(type)")
        }
        return keys
    }

    @Test("Both languages have the same keys, and none is blank")
    func tablesMatch() throws {
        let strings = try UIStrings.bundled()
        let chinese = strings.table(.zhHans)
        let english = strings.table(.en)
        #expect(!chinese.isEmpty)
        #expect(Set(chinese.keys).subtracting(english.keys).sorted() == [], "missing in en")
        #expect(Set(english.keys).subtracting(chinese.keys).sorted() == [], "missing in zh-Hans")
        for (key, text) in chinese where text.trimmingCharacters(in: .whitespaces).isEmpty {
            Issue.record("zh-Hans \(key) is blank")
        }
        for (key, text) in english where text.trimmingCharacters(in: .whitespaces).isEmpty {
            Issue.record("en \(key) is blank")
        }
    }

    @Test("Every key a template or page uses is in both tables")
    func everyUsedKeyExists() throws {
        let strings = try UIStrings.bundled()
        let templates = try Self.files("Templates", ending: ".mustache")
        let swift = try Self.files("", ending: ".swift")
        #expect(templates.count > 10)
        var used = try Self.matches(#"\{\{[#^/]?t\.([A-Za-z0-9_]+)\}\}"#, in: templates)
        used.formUnion(try Self.matches(#"\bt\("([A-Za-z0-9_]+)""#, in: swift))
        used.formUnion(try Self.matches(#"strings\.text\("([A-Za-z0-9_]+)""#, in: swift))
        used.formUnion(Self.composedKeys)
        #expect(used.count > 100)
        for language in Language.allCases {
            let missing = used.subtracting(strings.table(language).keys).sorted()
            #expect(missing == [], "missing in \(language.rawValue)")
        }
    }

    @Test("A missing key shows as a visible marker, never as blank text")
    func missingKeyIsVisible() {
        let strings = UIStrings(tables: [.zhHans: ["hello": "你好 {name}"], .en: [:]])
        #expect(strings.text("hello", .zhHans, ["name": "张伟"]) == "你好 张伟")
        #expect(strings.text("hello", .en) == "⟦hello⟧")
    }
}
