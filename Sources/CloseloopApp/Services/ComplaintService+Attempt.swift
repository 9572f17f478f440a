import CloseloopCore
import CloseloopStore

/// What a step taken on many complaints at once (an incident's step, a bulk assignment) did to one of them.
public struct ActionOutcome: Hashable, Sendable {
    public var number: String
    /// The actions done, in order; empty when nothing was.
    public var done: [ActionName]
    public var state: ComplaintState
    /// Why the rest was not done, in both languages; nil when everything was.
    public var problem: LocalizedText?

    public init(number: String, done: [ActionName], state: ComplaintState, problem: LocalizedText?) {
        self.number = number
        self.done = done
        self.state = state
        self.problem = problem
    }
}

extension ComplaintService {
    /// Takes `actions` on one complaint in order, each at the version the one before left, stopping at the first the
    /// loop refuses: what the loop said is the outcome, not an error, so the other complaints of the step go on.
    public func attempt(_ actions: [ComplaintAction], on record: ComplaintRecord, by user: UserAccount) async throws
        -> ActionOutcome
    {
        var current = record.complaint
        var done: [ActionName] = []
        for action in actions {
            do {
                current =
                    try await perform(
                        action, on: current.id, expectedVersion: current.version, by: .staff(user.staffMember)
                    ).complaint
                done.append(action.name)
            } catch let error as DomainError {
                return ActionOutcome(
                    number: current.number, done: done, state: current.state,
                    problem: LocalizedText(zh: error.message(in: .zhHans), en: error.message(in: .en)))
            } catch let error as StoreError {
                guard case .versionConflict = error else { throw error }
                return ActionOutcome(
                    number: current.number, done: done, state: current.state,
                    problem: LocalizedText(zh: "投诉刚被他人更新，请重试", en: "changed by someone else meanwhile; try again"))
            }
        }
        return ActionOutcome(number: current.number, done: done, state: current.state, problem: nil)
    }
}
