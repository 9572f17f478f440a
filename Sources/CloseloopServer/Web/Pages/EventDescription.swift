import CloseloopApp
import CloseloopCore
import Foundation

/// An event of the history in the words staff read on the complaint page: what happened, and its facts.
struct EventDescription {
    let app: WebApp
    let directory: Directory
    let taxonomy: CategoryTaxonomy
    let formatting: WebFormatting

    private func t(_ key: String, _ values: [String: String] = [:]) -> String { app.t(key, values) }
    private func yesNo(_ value: Bool) -> String { t(value ? "yes" : "no") }

    /// A title and labelled detail lines for one event.
    func describe(_ change: EventChange) -> (title: String, details: [(String, String)], files: [AttachmentReference]) {
        let title = t("event_\(change.type)")
        switch change {
        case .received(let received):
            return (
                title,
                [
                    (t("f_channel"), t("channel_\(received.intake.channel.rawValue)")),
                    (t("f_subject"), received.intake.subject),
                ] + (received.repeatOf.map { [(t("f_repeat_of"), $0)] } ?? []), received.intake.attachments
            )
        case .completenessChecked(let check):
            return (
                title,
                [(t("f_complete"), yesNo(check.complete))]
                    + (check.missing.isEmpty
                        ? [] : [(t("f_missing"), app.list(check.missing.map { t("missing_\($0)") }))])
                    + note(check.note), []
            )
        case .informationProvided(let note), .requestAnswered(let note), .resultReturned(let note),
            .returnVisitRecorded(let note), .closed(let note), .reopened(let note), .archived(let note):
            return (title, self.note(note.text), note.attachments)
        case .validityDecided(let decision):
            return (title, [(t("f_valid"), yesNo(decision.valid))] + note(decision.reason, label: "f_reason"), [])
        case .assigned(let assignment):
            return (
                title,
                [
                    (
                        t("f_category"),
                        taxonomy.name(of: assignment.subcategory ?? assignment.category, in: app.state.language)
                    ),
                    (t("f_priority"), assignment.priority.rawValue),
                    (t("f_severity"), t("severity_\(assignment.severity.rawValue)")),
                    (t("f_department"), directory.departmentName(assignment.department)),
                    (t("f_owner"), directory.userName(assignment.owner)),
                ] + (assignment.handler.map { [(t("f_handler"), directory.userName($0))] } ?? [])
                    + (assignment.handlerDue.map { [(t("f_handler_due"), formatting.dateTime($0))] } ?? []), []
            )
        case .reassigned(let change):
            var lines: [(String, String)] = []
            if let department = change.department {
                lines.append((t("f_department"), directory.departmentName(department)))
            }
            if let owner = change.owner { lines.append((t("f_owner"), directory.userName(owner))) }
            if let handler = change.handler { lines.append((t("f_handler"), directory.userName(handler))) }
            return (title, lines + note(change.reason, label: "f_reason"), [])
        case .reclassified(let change):
            var lines: [(String, String)] = []
            if let category = change.category {
                lines.append(
                    (t("f_category"), taxonomy.name(of: change.subcategory ?? category, in: app.state.language)))
            }
            if let priority = change.priority { lines.append((t("f_priority"), priority.rawValue)) }
            if let severity = change.severity { lines.append((t("f_severity"), t("severity_\(severity.rawValue)"))) }
            return (title, lines + note(change.reason, label: "f_reason"), [])
        case .customerContacted(let contact):
            return (title, [(t("f_outcome"), t("outcome_\(contact.outcome.rawValue)"))] + note(contact.note), [])
        case .analysisSubmitted(let report):
            return (
                title,
                [
                    (t("f_problem_type"), report.problemType),
                    (t("f_root_cause"), t("cause_\(report.rootCause.rawValue)")),
                    (t("f_technical"), yesNo(report.technical)), (t("f_findings"), report.findings),
                ] + note(report.suggestedSolution, label: "f_suggested_solution"), []
            )
        case .solutionProposed(let proposal):
            var lines = [
                (t("f_solution_types"), app.list(proposal.types.map { t("solution_\($0.rawValue)") })),
                (t("f_description"), proposal.description),
            ]
            if let amount = proposal.compensation { lines.append((t("f_compensation"), "¥\(amount)")) }
            if let role = proposal.requiredApprover { lines.append((t("f_required_approver"), app.text(role.label))) }
            return (title, lines, [])
        case .approvalDecided(let decision), .delayDecided(let decision):
            return (
                title, [(t("f_approved"), yesNo(decision.approved))] + note(decision.comment, label: "f_comment"), []
            )
        case .customerResponded(let decision):
            return (
                title,
                [(t("f_customer_accepted"), yesNo(decision.approved))]
                    + note(decision.comment, label: "f_customer_words"),
                []
            )
        case .progressRecorded(let progress):
            return (
                title,
                note(progress.note, label: "f_progress") + [(t("f_work_finished"), yesNo(progress.workFinished))],
                progress.evidence
            )
        case .verified(let verification):
            return (
                title,
                [(t("f_solved"), yesNo(verification.solved)), (t("f_satisfied"), yesNo(verification.satisfied))]
                    + (verification.score.map { [(t("f_score"), "\($0) / 5")] } ?? []) + note(verification.note), []
            )
        case .delayRequested(let request):
            return (
                title, note(request.reason, label: "f_reason") + [(t("f_until"), formatting.dateTime(request.until))],
                []
            )
        case .noteAdded(let added):
            return (added.isInternal ? t("event_internal_note") : title, note(added.text), [])
        case .clockAlerted(let alert):
            var lines = [
                (t("col_clock"), app.text(alert.clock.label)), (t("col_due"), formatting.dateTime(alert.dueAt)),
            ]
            if alert.kind == .breach { lines.append((t("alert_level"), "\(alert.level)")) }
            return (t("alert_\(alert.kind.rawValue)"), lines, [])
        case .incidentLinked(let link):
            return (title, [(t("f_incident"), link.incident)], [])
        case .merged(let merge):
            return (title, [(t("f_merge_into"), merge.into), (t("f_reason"), merge.reason)], [])
        case .duplicateMerged(let duplicate):
            return (title, [(t("f_merged_duplicate"), duplicate.number)], duplicate.attachments)
        case .updatePreferenceSet(let preference):
            return (title, [(t("f_progress_updates"), t(preference.optedOut ? "updates_off" : "updates_on"))], [])
        case .customerUpdated(let update):
            return (
                title,
                [
                    (t("f_notice"), t("template_\(update.topic.dropFirst("customer.".count))")),
                    (t("f_channel"), t("channel_\(update.channel)")),
                ], []
            )
        case .messageReceived(let message):
            var lines = [(t("f_channel"), t("channel_\(message.channel.rawValue)"))]
            if let subject = message.subject, !subject.isEmpty { lines.append((t("f_subject"), subject)) }
            return (title, lines + note(message.text, label: "f_message"), message.attachments)
        case .mentionConfirmed(let answer):
            return (
                title,
                [
                    (t("f_mentioned_user"), directory.userName(answer.user)),
                    (t("f_concerned"), yesNo(answer.concerned)),
                ] + note(answer.note), []
            )
        case .caseWritten(let writeUp):
            return (
                title,
                [
                    (t("f_case_cause"), writeUp.cause), (t("f_case_handling"), writeUp.handling),
                    (t("f_case_lesson"), writeUp.lesson),
                ] + note(writeUp.prevention, label: "f_case_prevention"), []
            )
        }
    }

    private func note(_ text: String, label: String = "f_note") -> [(String, String)] {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? [] : [(t(label), trimmed)]
    }
}
