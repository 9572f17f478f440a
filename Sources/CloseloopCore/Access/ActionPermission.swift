/// Who may do what (SPEC §1): roles scoped to departments, the owner's own rights, the customer's few actions and
/// recusal. Whether the state allows it is `ActionName.isAvailable(in:)`'s business, not this one's.
public enum ActionPermission {
    /// Roles that work in the call centre and may act on any complaint's intake and customer contact.
    static let intakeRoles: Set<Role> = [.agent, .supervisor]
    /// Roles of the responsible department, effective only for that department.
    static let departmentRoles: Set<Role> = [.handler, .departmentManager]
    /// Roles that may decide a delay request (an approver of SPEC §1).
    static let delayApprovers: Set<Role> = [.departmentManager, .vicePresident, .generalManager]

    /// Roles that may be asked to approve; the authority matrix decides which level a proposal needs.
    static let approvalRoles: Set<Role> = [.supervisor, .departmentManager, .vicePresident, .generalManager]

    /// Actions a customer may take on their own complaint through the portal or tracking API.
    public static let customerActions: Set<ActionName> = [
        .provideInformation, .respondToProposal, .verify, .reopen, .receiveMessage, .setUpdatePreference,
    ]

    /// Throws unless `actor` may perform `action` on `complaint` (state aside).
    public static func authorize(_ action: ActionName, by actor: Actor, on complaint: Complaint) throws(DomainError) {
        switch actor {
        case .system:
            return
        case .customer:
            guard customerActions.contains(action) else { throw .notAllowed(action: action) }
        case .staff(let member):
            if complaint.isRecused(member.id) { throw .recused }
            guard allows(action, member, complaint) else { throw .notAllowed(action: action) }
        }
    }

    /// Whether `member` could perform `action` on `complaint`, were its state right.
    public static func allows(_ action: ActionName, _ member: StaffMember, _ complaint: Complaint) -> Bool {
        if complaint.isRecused(member.id) { return false }
        let department = complaint.department
        let isOwner = complaint.owner == member.id
        let isHandler = complaint.handler == member.id
        let intake = member.grants.contains { intakeRoles.contains($0.role) }
        let departmentStaff = isHandler || (department != nil && member.holdsAny(departmentRoles, for: department))
        let supervisor = member.holds(.supervisor)
        switch action {
        case .checkCompleteness, .provideInformation, .decideValidity, .answerRequest, .merge:
            return intake
        case .linkIncident:
            return intake || Incident.mayManage(member)
        case .assign, .reassign, .reclassify, .confirmMention:
            return supervisor
        case .recordContact, .respondToProposal, .verify, .recordReturnVisit, .reopen:
            return isOwner || intake
        case .submitAnalysis, .proposeSolution, .recordProgress, .returnResult:
            return departmentStaff
        case .decideApproval:
            return member.grants.contains { $0.covers(department) && approvalRoles.contains($0.role) }
        case .close:
            return supervisor
        case .requestDelay:
            return isOwner || intake || departmentStaff
        case .decideDelay:
            return member.holdsAny(delayApprovers, for: department)
        case .addNote:
            return !member.grants.isEmpty
        case .writeCase:
            return member.holds(.quality) || supervisor
        case .archive:
            return member.holds(.quality) || supervisor || member.holds(.administrator)
        // Staff write notes; only the customer's own words arrive as a message.
        // Only the outbox, as the system, records that a message reached the customer; what the customer wants to be
        // sent is theirs to say on the portal.
        case .receiveMessage, .recordCustomerUpdate, .setUpdatePreference:
            return false
        }
    }

    /// Whether `member` may read the complaint's internal notes.
    public static func mayReadInternalNotes(_ member: StaffMember, _ complaint: Complaint) -> Bool {
        !complaint.isRecused(member.id) && !member.grants.isEmpty
    }

    /// Whether `member` needs the customer's full phone and address; everyone else sees them masked.
    public static func needsPersonalData(_ member: StaffMember, _ complaint: Complaint) -> Bool {
        if complaint.isRecused(member.id) { return false }
        return complaint.owner == member.id || member.grants.contains { intakeRoles.contains($0.role) }
    }
}
