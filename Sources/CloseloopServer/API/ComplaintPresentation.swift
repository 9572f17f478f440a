import CloseloopAPI
import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation
import OpenAPIRuntime

/// How a complaint is shown to one staff member: personal data masked unless their role needs it, internal notes
/// hidden when recused, and the actions they may take now.
struct ComplaintPresentation {
    let viewer: StaffMember
    let workflow: Workflow
    let now: Date

    /// The complaint as the viewer sees it. Contact details are shown in full only when `revealPersonalData` and the
    /// viewer's role needs them (the caller logs that view); lists always mask them.
    func complaint(_ record: ComplaintRecord, revealPersonalData: Bool = false) -> Components.Schemas.Complaint {
        let complaint = record.complaint
        let intake = complaint.intake
        let reveal = revealPersonalData && ActionPermission.needsPersonalData(viewer, complaint)
        let customer = Components.Schemas.Customer(
            name: intake.customer.name,
            phone: intake.customer.phone.map { reveal ? $0 : Masking.phone($0) },
            email: intake.customer.email.map { reveal ? $0 : Masking.email($0) },
            customerId: intake.customer.customerID)
        return Components.Schemas.Complaint(
            id: complaint.id.rawValue, number: complaint.number,
            state: .init(rawValue: complaint.state.rawValue)!,
            resolution: complaint.resolution.flatMap { .init(rawValue: $0.rawValue) },
            kind: .init(rawValue: complaint.kind.rawValue)!, channel: .init(rawValue: intake.channel.rawValue)!,
            priority: .init(rawValue: complaint.priority.rawValue)!,
            severity: .init(rawValue: complaint.severity.rawValue)!,
            category: complaint.category, subcategory: complaint.subcategory,
            intakeCategory: intake.defaultCategory,
            department: complaint.department?.rawValue, owner: complaint.owner?.rawValue,
            handler: complaint.handler?.rawValue, handlerDue: complaint.handlerDue, receivedAt: complaint.receivedAt,
            updatedAt: complaint.updatedAt,
            closedAt: complaint.closedAt, version: complaint.version, customer: customer,
            personalDataMasked: !reveal, reference: intake.reference, product: intake.product,
            subject: intake.subject, description: intake.description, transcript: intake.transcript,
            source: intake.source, complainedAboutUser: intake.complainedAboutUser?.rawValue,
            complainedAboutText: intake.complainedAboutText,
            staffMentions: complaint.staffMentions.map(Self.mention),
            complainedAboutDepartment: intake.complainedAboutDepartment?.rawValue,
            remedies: intake.remedies.map { .init(rawValue: $0.rawValue)! }, repeatOf: complaint.repeatOf,
            attachments: intake.attachments.map(Self.attachment), recording: intake.recording.map(Self.attachment),
            analysis: complaint.analysis.map(Self.analysis),
            proposal: complaint.proposal.map {
                .init(
                    types: $0.types.map { .init(rawValue: $0.rawValue)! }, description: $0.description,
                    compensation: $0.compensation?.description,
                    requiredApprover: $0.requiredApprover.flatMap { .init(rawValue: $0.rawValue) })
            },
            satisfaction: complaint.satisfaction, contactAttempts: complaint.contactAttempts,
            reopenCount: complaint.reopenCount, incident: complaint.incident, mergedInto: complaint.mergedInto,
            mergedDuplicates: complaint.mergedDuplicates,
            pendingDelay: complaint.pendingDelay.map { .init(reason: $0.reason, until: $0.until) },
            clocks: record.clocks.map(clock), nextDueAt: record.nextDueAt,
            availableActions: workflow.availableActions(on: complaint, for: .staff(viewer)).map {
                .init(rawValue: $0.rawValue)!
            })
    }

    /// A list's row: what `ComplaintSummary` holds, the phone masked.
    func summary(_ summary: ComplaintSummary) -> Components.Schemas.ComplaintSummary {
        Components.Schemas.ComplaintSummary(
            id: summary.id.rawValue, number: summary.number, subject: summary.subject,
            customer: .init(name: summary.customerName, phone: summary.customerPhone.map(Masking.phone)),
            reference: summary.reference, state: .init(rawValue: summary.state.rawValue)!,
            kind: .init(rawValue: summary.kind.rawValue)!,
            channel: .init(rawValue: summary.channel.rawValue)!, priority: .init(rawValue: summary.priority.rawValue)!,
            severity: .init(rawValue: summary.severity.rawValue)!, category: summary.category,
            department: summary.department?.rawValue, owner: summary.owner?.rawValue,
            handler: summary.handler?.rawValue, receivedAt: summary.receivedAt, updatedAt: summary.updatedAt,
            version: summary.version,
            nextDeadline: summary.nextDeadline.map {
                .init(
                    clock: .init(rawValue: $0.clock.rawValue)!, dueAt: $0.dueAt,
                    condition: now > $0.dueAt ? .overdue : .running)
            })
    }

    func clock(_ status: ClockStatus) -> Components.Schemas.Clock {
        Components.Schemas.Clock(
            clock: .init(rawValue: status.clock.rawValue)!, limit: status.limit.description,
            basis: .init(rawValue: status.basis.rawValue)!, startedAt: status.startedAt, dueAt: status.dueAt,
            stoppedAt: status.stoppedAt, condition: .init(rawValue: status.condition(at: now).rawValue)!)
    }

    static func analysis(_ report: EventChange.AnalysisSubmitted) -> Components.Schemas.Analysis {
        .init(
            problemType: report.problemType, rootCause: .init(rawValue: report.rootCause.rawValue)!,
            technical: report.technical, findings: report.findings, suggestedSolution: report.suggestedSolution)
    }

    static func mention(_ mention: StaffMention) -> Components.Schemas.StaffMention {
        let status: Components.Schemas.StaffMention.StatusPayload =
            switch mention.concerned {
            case nil: .unconfirmed
            case true?: .concerned
            case false?: .notConcerned
            }
        return .init(user: mention.user.rawValue, status: status)
    }

    static func attachment(_ reference: AttachmentReference) -> Components.Schemas.Attachment {
        .init(
            id: reference.id, fileName: reference.fileName, contentType: reference.contentType, size: reference.size,
            sha256: reference.sha256)
    }

    /// The history as the viewer may see it: internal notes dropped for the recused.
    func history(_ events: [ComplaintEvent], of complaint: Complaint) throws -> Components.Schemas.History {
        let mayReadInternal = ActionPermission.mayReadInternalNotes(viewer, complaint)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let decoder = JSONDecoder()
        let visible = events.filter { event in
            if case .noteAdded(let note) = event.change, note.isInternal { return mayReadInternal }
            return true
        }
        return .init(
            events: try visible.map { event in
                let data = try encoder.encode(event.change)
                let container = try decoder.decode(EventEnvelope.self, from: data)
                return .init(
                    sequence: event.sequence, at: event.at,
                    actor: .init(
                        kind: .init(rawValue: event.actor.kind.rawValue)!, userId: event.actor.userID?.rawValue,
                        name: event.actor.name),
                    _type: event.change.type, data: .init(additionalProperties: container.data))
            })
    }

    private struct EventEnvelope: Decodable {
        var data: OpenAPIObjectContainer
    }
}
