import CloseloopAPI
import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation
import OpenAPIRuntime

/// Mass incidents, the bursts that propose them, and merging duplicates: `IncidentService` and the loop's merge,
/// as the document states them.
extension APIHandler {
    func merge(_ input: Operations.Merge.Input) async throws -> Operations.Merge.Output {
        let user = try requireStaff()
        guard case .json(let body) = input.body else {
            throw APIError.badRequest(code: "request.malformed", message: "")
        }
        let target = try await record(input.path.id)
        let merged = try await complaints.perform(
            .merge(into: body.into, reason: body.reason), on: target.complaint.id, expectedVersion: body.version,
            by: .staff(user.staffMember))
        return .ok(.init(body: .json(try await revealed(merged, to: user, purpose: "action"))))
    }

    func listIncidents(_ input: Operations.ListIncidents.Input) async throws -> Operations.ListIncidents.Output {
        _ = try requireStaff()
        let summaries = try await services.incidents.list(openOnly: input.query.state != .all)
        return .ok(
            .init(
                body: .json(
                    .init(
                        incidents: summaries.map {
                            .init(
                                incident: Self.incident($0.incident), complaints: $0.complaints,
                                openComplaints: $0.openComplaints)
                        }))))
    }

    func openIncident(_ input: Operations.OpenIncident.Input) async throws -> Operations.OpenIncident.Output {
        let user = try requireStaff()
        guard case .json(let body) = input.body else {
            throw APIError.badRequest(code: "request.malformed", message: "")
        }
        let details = Self.details(
            title: body.title, cause: body.cause, category: body.category, subcategory: body.subcategory,
            severity: body.severity, department: body.department, owner: body.owner, handler: body.handler)
        let (incident, outcomes) = try await services.incidents.open(details, linking: body.complaints ?? [], by: user)
        return .created(.init(body: .json(Self.result(incident, outcomes))))
    }

    func getIncident(_ input: Operations.GetIncident.Input) async throws -> Operations.GetIncident.Output {
        _ = try requireStaff()
        guard let incident = try await services.incidents.find(input.path.number) else {
            throw StoreError.incidentNotFound
        }
        let members = try await services.incidents.members(of: incident.number)
        return .ok(
            .init(
                body: .json(
                    .init(
                        incident: Self.incident(incident),
                        complaints: members.map { record in
                            let complaint = record.complaint
                            return .init(
                                id: complaint.id.rawValue, number: complaint.number, subject: complaint.intake.subject,
                                state: .init(rawValue: complaint.state.rawValue)!,
                                severity: .init(rawValue: complaint.severity.rawValue)!,
                                handler: complaint.handler?.rawValue, receivedAt: complaint.receivedAt,
                                nextDueAt: record.nextDueAt)
                        }))))
    }

    func updateIncident(_ input: Operations.UpdateIncident.Input) async throws -> Operations.UpdateIncident.Output {
        let user = try requireStaff()
        guard case .json(let body) = input.body else {
            throw APIError.badRequest(code: "request.malformed", message: "")
        }
        let details = Self.details(
            title: body.title, cause: body.cause, category: body.category, subcategory: body.subcategory,
            severity: body.severity, department: body.department, owner: body.owner, handler: body.handler)
        let incident = try await services.incidents.update(
            input.path.number, details, expectedVersion: body.version, by: user)
        return .ok(.init(body: .json(Self.incident(incident))))
    }

    func linkToIncident(_ input: Operations.LinkToIncident.Input) async throws -> Operations.LinkToIncident.Output {
        let user = try requireStaff()
        guard case .json(let body) = input.body else {
            throw APIError.badRequest(code: "request.malformed", message: "")
        }
        let outcomes = try await services.incidents.link(body.complaints, to: input.path.number, by: user)
        guard let incident = try await services.incidents.find(input.path.number) else {
            throw StoreError.incidentNotFound
        }
        return .ok(.init(body: .json(Self.result(incident, outcomes))))
    }

    func takeIncidentStep(_ input: Operations.TakeIncidentStep.Input) async throws
        -> Operations.TakeIncidentStep.Output
    {
        let user = try requireStaff()
        guard case .json(let body) = input.body else {
            throw APIError.badRequest(code: "request.malformed", message: "")
        }
        let handling: IncidentService.Handling
        switch input.path.step {
        case .accept:
            handling = .accept
        case .propose:
            guard let analysis = body.analysis, let solution = body.solution else {
                throw APIError.invalid(
                    [
                        body.analysis == nil ? .required("analysis") : nil,
                        body.solution == nil ? .required("solution") : nil,
                    ]
                    .compactMap { $0 })
            }
            let compensation = try solution.compensation.map { try money($0) }
            handling = .propose(
                analysis: .init(
                    problemType: analysis.problemType, rootCause: RootCause(rawValue: analysis.rootCause.rawValue)!,
                    technical: analysis.technical ?? false, findings: analysis.findings,
                    suggestedSolution: solution.message),
                solution: .init(
                    types: solution.types.map { SolutionType(rawValue: $0.rawValue)! }, message: solution.message,
                    compensation: compensation))
        case .result:
            guard let result = body.result else { throw APIError.invalid([.required("result")]) }
            handling = .result(result)
        }
        let (incident, outcomes) = try await services.incidents.handle(
            handling, on: input.path.number, expectedVersion: body.version, by: user)
        return .ok(.init(body: .json(Self.result(incident, outcomes))))
    }

    func closeIncident(_ input: Operations.CloseIncident.Input) async throws -> Operations.CloseIncident.Output {
        let user = try requireStaff()
        guard case .json(let body) = input.body else {
            throw APIError.badRequest(code: "request.malformed", message: "")
        }
        let incident = try await services.incidents.close(
            input.path.number, note: body.note ?? "", expectedVersion: body.version, by: user)
        return .ok(.init(body: .json(Self.incident(incident))))
    }

    func listBursts(_ input: Operations.ListBursts.Input) async throws -> Operations.ListBursts.Output {
        _ = try requireStaff()
        let since = services.time.now().addingTimeInterval(-Double(BurstWatcher.proposalDays) * 86_400)
        let bursts: [Components.Schemas.Burst] = try await services.incidents.proposals(since: since).map {
            .init(
                id: $0.burst.id, detectedAt: $0.burst.detectedAt, title: $0.burst.title, complaints: $0.members,
                incident: $0.incident, proposal: Self.details($0.details))
        }
        return .ok(.init(body: .json(.init(bursts: bursts))))
    }

    // MARK: - Presentation

    /// What an open or update request says of the incident; one that names no severity asks for the least an
    /// incident may be.
    static func details(
        title: String, cause: String?, category: String?, subcategory: String?, severity: Components.Schemas.Severity?,
        department: String?, owner: String?, handler: String?
    ) -> Incident.Details {
        Incident.Details(
            title: title, cause: cause ?? "", category: category, subcategory: subcategory,
            severity: severity.flatMap { Severity(rawValue: $0.rawValue) } ?? Incident.leastSeverity,
            department: department.map { DepartmentID($0) }, owner: owner.map { UserID($0) },
            handler: handler.map { UserID($0) })
    }

    static func details(_ details: Incident.Details) -> Components.Schemas.IncidentDetails {
        .init(
            title: details.title, cause: details.cause, category: details.category, subcategory: details.subcategory,
            severity: .init(rawValue: details.severity.rawValue), department: details.department?.rawValue,
            owner: details.owner?.rawValue, handler: details.handler?.rawValue)
    }

    static func incident(_ incident: Incident) -> Components.Schemas.Incident {
        .init(
            number: incident.number, title: incident.title, cause: incident.cause, category: incident.category,
            subcategory: incident.subcategory, severity: .init(rawValue: incident.severity.rawValue)!,
            department: incident.department?.rawValue, owner: incident.owner?.rawValue,
            handler: incident.handler?.rawValue, state: .init(rawValue: incident.state.rawValue)!,
            analysis: incident.analysis.map(ComplaintPresentation.analysis),
            solution: incident.solution.map {
                .init(
                    types: $0.types.map { .init(rawValue: $0.rawValue)! }, message: $0.message,
                    compensation: $0.compensation?.description)
            }, result: incident.result, openedAt: incident.openedAt, openedBy: incident.openedBy.rawValue,
            closedAt: incident.closedAt, closingNote: incident.closingNote, version: incident.version)
    }

    static func result(_ incident: Incident, _ outcomes: [IncidentService.Outcome]) -> Components.Schemas.IncidentResult
    {
        let language = RequestLanguage.current
        return .init(
            incident: self.incident(incident),
            outcomes: outcomes.map { outcome in
                .init(
                    number: outcome.number, done: outcome.done.map { .init(rawValue: $0.rawValue)! },
                    state: .init(rawValue: outcome.state.rawValue)!, problem: outcome.problem?.text(in: language))
            })
    }
}
