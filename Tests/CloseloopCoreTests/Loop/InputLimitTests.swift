import Foundation
import Testing

@testable import CloseloopCore

/// The limits of `TextRules`, held by the core for every caller: API, pages, import and CLI.
@Suite("Every free-text input is bounded and free of control characters")
struct InputLimitTests {
    typealias F = LoopFixtures

    struct Case: Sendable, CustomTestStringConvertible {
        var what: String
        var state: ComplaintState
        var action: ComplaintAction
        var field: String
        var code: String
        var testDescription: String { what }
    }

    static let cases: [Case] = [
        Case(
            what: "a note of 20,001 characters", state: .investigating,
            action: .addNote(text: String(repeating: "字", count: 20_001), isInternal: true), field: "text",
            code: "too_long"),
        Case(
            what: "an incident code of 101 characters", state: .investigating,
            action: .linkIncident(incident: String(repeating: "A", count: 101)), field: "incident", code: "too_long"),
        Case(
            what: "a completeness note of 100,000 characters", state: .received,
            action: .checkCompleteness(complete: true, missing: [], note: String(repeating: "x", count: 100_000)),
            field: "note", code: "too_long"),
        Case(
            what: "21 missing items", state: .received,
            action: .checkCompleteness(complete: false, missing: (0...20).map { "item \($0)" }, note: ""),
            field: "missing", code: "too_many"),
        Case(
            what: "an incident code with a line break", state: .investigating,
            action: .linkIncident(incident: "INC-1\nINC-2"), field: "incident", code: "control_character"),
        Case(
            what: "a note carrying NUL", state: .investigating,
            action: .addNote(text: "好\u{0}的", isInternal: true), field: "text", code: "control_character"),
        Case(
            what: "a reason carrying ESC", state: .investigating,
            action: .reclassify(category: nil, subcategory: nil, priority: .p1, severity: nil, reason: "\u{1B}[31m"),
            field: "reason", code: "control_character"),
        Case(
            what: "a category with a right-to-left override", state: .investigating,
            action: .reclassify(
                category: "quality\u{202E}", subcategory: nil, priority: nil, severity: nil, reason: "x"),
            field: "category", code: "control_character"),
    ]

    @Test("An over-long or control-laden input is refused naming its field", arguments: cases)
    func refused(_ test: Case) throws {
        let story = try ComplaintStory.reaching(test.state)
        guard case .validation(let issues) = story.error(of: test.action, by: .staff(F.everything)) else {
            Issue.record("\(test.what) was not refused as invalid")
            return
        }
        #expect(issues.contains { $0.field == test.field && $0.code == test.code }, "\(issues)")
    }

    @Test("Multi-line fields keep their line breaks and tabs; the limit itself is allowed")
    func allowedText() throws {
        let story = try ComplaintStory.reaching(.investigating)
        let note = "第一行\n\t第二行\r\n" + String(repeating: "字", count: TextRules.long - 9)
        #expect(note.count == TextRules.long)
        #expect(story.error(of: .addNote(text: note, isInternal: true), by: .staff(F.everything)) == nil)
    }

    @Test("A subject with a control character or a line break is refused at intake")
    func intakeText() {
        for subject in ["噪音\u{7}很大", "噪音\n很大", "x\u{0}"] {
            var intake = F.intake()
            intake.subject = subject
            #expect(intake.problems().contains { $0.field == "subject" && $0.code == "control_character" })
        }
        var intake = F.intake()
        intake.description = "第一段\n\n第二段\t完"
        #expect(intake.problems().isEmpty)
    }

    @Test("A delay reaches no further than the policy's longest", arguments: [29, 30, 31, 3_000_000])
    func delayBound(days: Int) throws {
        let story = try ComplaintStory.reaching(.investigating)
        let until = story.nextInstant.addingTimeInterval(Double(days) * 86_400)
        let error = F.error { () throws(DomainError) in
            try story.workflow.apply(
                .requestDelay(reason: "客户出国", until: until), to: story.complaint, by: .staff(F.agent),
                at: story.nextInstant)
        }
        if days <= ServicePolicy.standard.maxDelayDays {
            #expect(error == nil)
        } else {
            guard case .validation(let issues) = error else {
                Issue.record("a delay of \(days) days was accepted")
                return
            }
            #expect(issues.map(\.field) == ["until"])
        }
    }

    @Test("A result cannot be returned before progress recorded the work finished")
    func executionNotSkipped() throws {
        var story = try ComplaintStory.reaching(.executing)
        let result = ComplaintAction.returnResult(summary: "已完成", attachments: [])
        #expect(
            story.error(of: result, by: .staff(F.handler))
                == .missingPrerequisite(action: .returnResult, prerequisite: "record_progress"))
        #expect(!story.workflow.availableActions(on: story.complaint, for: .staff(F.handler)).contains(.returnResult))
        try story.perform(.recordProgress(note: "已上门", workFinished: false, evidence: []), by: .staff(F.handler))
        #expect(story.error(of: result, by: .staff(F.handler)) != nil)
        try story.perform(.recordProgress(note: "已修好", workFinished: true, evidence: []), by: .staff(F.handler))
        #expect(story.error(of: result, by: .staff(F.handler)) == nil)
    }

    @Test("Numbers of years a century apart come from one counter, so they never collide")
    func centuryApart() {
        let numbering = ComplaintNumbering.standard
        #expect(numbering.counter(forYear: 1926) == numbering.counter(forYear: 2026))
        #expect(numbering.counter(forYear: 2025) != numbering.counter(forYear: 2026))
        #expect(ComplaintNumbering(pattern: "{YYYY}-{SEQ:5}").counter(forYear: 1926) == 1926)
        #expect(
            ComplaintNumbering(pattern: "CL{SEQ:6}").counter(forYear: 2025)
                == ComplaintNumbering(pattern: "CL{SEQ:6}").counter(forYear: 2026))
    }
}
