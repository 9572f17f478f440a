/// Events are stored as `{"type": "solution_proposed", "data": {…}}` so the history reads well as JSON.
extension EventChange: Codable {
    private enum CodingKeys: String, CodingKey { case type, data }

    /// The stable name of the event type, as stored and as shown in the API.
    public var type: String {
        switch self {
        case .received: "received"
        case .completenessChecked: "completeness_checked"
        case .informationProvided: "information_provided"
        case .validityDecided: "validity_decided"
        case .requestAnswered: "request_answered"
        case .assigned: "assigned"
        case .reassigned: "reassigned"
        case .reclassified: "reclassified"
        case .customerContacted: "customer_contacted"
        case .analysisSubmitted: "analysis_submitted"
        case .solutionProposed: "solution_proposed"
        case .approvalDecided: "approval_decided"
        case .customerResponded: "customer_responded"
        case .progressRecorded: "progress_recorded"
        case .resultReturned: "result_returned"
        case .verified: "verified"
        case .returnVisitRecorded: "return_visit_recorded"
        case .closed: "closed"
        case .reopened: "reopened"
        case .delayRequested: "delay_requested"
        case .delayDecided: "delay_decided"
        case .noteAdded: "note_added"
        case .incidentLinked: "incident_linked"
        case .merged: "merged"
        case .duplicateMerged: "duplicate_merged"
        case .mentionConfirmed: "mention_confirmed"
        case .caseWritten: "case_written"
        case .archived: "archived"
        case .messageReceived: "message_received"
        case .customerUpdated: "customer_updated"
        case .updatePreferenceSet: "update_preference_set"
        case .clockAlerted: "clock_alerted"
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "received": self = .received(try container.decode(Received.self, forKey: .data))
        case "completeness_checked":
            self = .completenessChecked(try container.decode(CompletenessChecked.self, forKey: .data))
        case "information_provided": self = .informationProvided(try container.decode(Note.self, forKey: .data))
        case "validity_decided": self = .validityDecided(try container.decode(ValidityDecided.self, forKey: .data))
        case "request_answered": self = .requestAnswered(try container.decode(Note.self, forKey: .data))
        case "assigned": self = .assigned(try container.decode(Assigned.self, forKey: .data))
        case "reassigned": self = .reassigned(try container.decode(Reassigned.self, forKey: .data))
        case "reclassified": self = .reclassified(try container.decode(Reclassified.self, forKey: .data))
        case "customer_contacted":
            self = .customerContacted(try container.decode(CustomerContacted.self, forKey: .data))
        case "analysis_submitted":
            self = .analysisSubmitted(try container.decode(AnalysisSubmitted.self, forKey: .data))
        case "solution_proposed": self = .solutionProposed(try container.decode(SolutionProposed.self, forKey: .data))
        case "approval_decided": self = .approvalDecided(try container.decode(Decision.self, forKey: .data))
        case "customer_responded": self = .customerResponded(try container.decode(Decision.self, forKey: .data))
        case "progress_recorded": self = .progressRecorded(try container.decode(ProgressRecorded.self, forKey: .data))
        case "result_returned": self = .resultReturned(try container.decode(Note.self, forKey: .data))
        case "verified": self = .verified(try container.decode(Verified.self, forKey: .data))
        case "return_visit_recorded": self = .returnVisitRecorded(try container.decode(Note.self, forKey: .data))
        case "update_preference_set":
            self = .updatePreferenceSet(try container.decode(UpdatePreference.self, forKey: .data))
        case "customer_updated":
            self = .customerUpdated(try container.decode(CustomerUpdated.self, forKey: .data))
        case "message_received":
            self = .messageReceived(try container.decode(MessageReceived.self, forKey: .data))
        case "closed": self = .closed(try container.decode(Note.self, forKey: .data))
        case "reopened": self = .reopened(try container.decode(Note.self, forKey: .data))
        case "delay_requested": self = .delayRequested(try container.decode(DelayRequested.self, forKey: .data))
        case "delay_decided": self = .delayDecided(try container.decode(Decision.self, forKey: .data))
        case "note_added": self = .noteAdded(try container.decode(NoteAdded.self, forKey: .data))
        case "incident_linked": self = .incidentLinked(try container.decode(IncidentLinked.self, forKey: .data))
        case "merged": self = .merged(try container.decode(Merged.self, forKey: .data))
        case "duplicate_merged": self = .duplicateMerged(try container.decode(DuplicateMerged.self, forKey: .data))
        case "mention_confirmed": self = .mentionConfirmed(try container.decode(MentionConfirmed.self, forKey: .data))
        case "case_written": self = .caseWritten(try container.decode(CaseWritten.self, forKey: .data))
        case "archived": self = .archived(try container.decode(Note.self, forKey: .data))
        case "clock_alerted": self = .clockAlerted(try container.decode(ClockAlert.self, forKey: .data))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: container, debugDescription: "unknown event type \(type)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        switch self {
        case .received(let payload): try container.encode(payload, forKey: .data)
        case .completenessChecked(let payload): try container.encode(payload, forKey: .data)
        case .informationProvided(let payload): try container.encode(payload, forKey: .data)
        case .validityDecided(let payload): try container.encode(payload, forKey: .data)
        case .requestAnswered(let payload): try container.encode(payload, forKey: .data)
        case .assigned(let payload): try container.encode(payload, forKey: .data)
        case .reassigned(let payload): try container.encode(payload, forKey: .data)
        case .reclassified(let payload): try container.encode(payload, forKey: .data)
        case .customerContacted(let payload): try container.encode(payload, forKey: .data)
        case .analysisSubmitted(let payload): try container.encode(payload, forKey: .data)
        case .solutionProposed(let payload): try container.encode(payload, forKey: .data)
        case .approvalDecided(let payload): try container.encode(payload, forKey: .data)
        case .customerResponded(let payload): try container.encode(payload, forKey: .data)
        case .progressRecorded(let payload): try container.encode(payload, forKey: .data)
        case .resultReturned(let payload): try container.encode(payload, forKey: .data)
        case .verified(let payload): try container.encode(payload, forKey: .data)
        case .returnVisitRecorded(let payload): try container.encode(payload, forKey: .data)
        case .messageReceived(let payload): try container.encode(payload, forKey: .data)
        case .customerUpdated(let payload): try container.encode(payload, forKey: .data)
        case .updatePreferenceSet(let payload): try container.encode(payload, forKey: .data)
        case .closed(let payload): try container.encode(payload, forKey: .data)
        case .reopened(let payload): try container.encode(payload, forKey: .data)
        case .delayRequested(let payload): try container.encode(payload, forKey: .data)
        case .delayDecided(let payload): try container.encode(payload, forKey: .data)
        case .noteAdded(let payload): try container.encode(payload, forKey: .data)
        case .incidentLinked(let payload): try container.encode(payload, forKey: .data)
        case .merged(let payload): try container.encode(payload, forKey: .data)
        case .duplicateMerged(let payload): try container.encode(payload, forKey: .data)
        case .mentionConfirmed(let payload): try container.encode(payload, forKey: .data)
        case .caseWritten(let payload): try container.encode(payload, forKey: .data)
        case .archived(let payload): try container.encode(payload, forKey: .data)
        case .clockAlerted(let payload): try container.encode(payload, forKey: .data)
        }
    }
}
