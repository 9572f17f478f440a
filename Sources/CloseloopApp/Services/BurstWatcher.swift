import CloseloopCore
import CloseloopStore
import Foundation

/// Watches for complaints alike arriving together (群诉, SPEC §2): each complaint received since the last pass is
/// looked up among the complaints of the rule's window before it (through the search indexes, so the cost follows
/// what arrives, not what is open); when enough read alike, the supervisors and the quality office are told through
/// the outbox, with the group and a proposed incident. A group is reported once: a complaint that joins a group
/// already reported raises no second alert.
public struct BurstWatcher: Sendable {
    let store: SQLStore
    let settings: LoopSettings
    let similar: SimilarComplaints
    let time: any TimeSource

    static let checkpointKey = "burst_checkpoint"
    /// Complaints claimed and looked at together; a pass takes batch after batch until it has caught up.
    var batch = 500

    /// Looks at what arrived since the last pass; returns the bursts it reported. A full batch is followed at once by
    /// the next rather than a pass later: complaints arriving faster than a batch a pass would otherwise fall out of
    /// the window unexamined, in the very floods this watch is for.
    @discardableResult
    public func pass() async throws -> [ComplaintBurst] {
        let rule = await settings.alertPolicy().burst
        guard rule.enabled else { return [] }
        let window = Double(rule.windowMinutes) * 60
        var found: [ComplaintBurst] = []
        var seen: (reported: Set<ComplaintID>, targets: [(target: NotificationTarget, user: UserAccount)])?
        while true {
            let now = time.instant()
            let saved = try await store.setting(Self.checkpointKey, as: Int64.self)
            let checkpoint = max(
                saved.map { Date(timeIntervalSince1970: Double($0) / 1000) } ?? .distantPast,
                now.addingTimeInterval(-window))
            let arrived = try await store.complaintsReceived(after: checkpoint, limit: batch)
            guard let last = arrived.last else { break }
            // The batch is claimed before it is looked at: an instance that read the same checkpoint finds it moved
            // and leaves the batch to this one, so however many instances run, each complaint is looked up once. A
            // pass that dies midway leaves the rest of its batch unexamined: a missed alert, never a complaint lost.
            let through = Int64((last.receivedAt.timeIntervalSince1970 * 1000).rounded())
            guard try await store.replaceSetting(Self.checkpointKey, expected: saved, with: through, at: now) else {
                break
            }
            if seen == nil {
                seen = (
                    Set(try await store.bursts(since: now.addingTimeInterval(-2 * window)).flatMap(\.members)),
                    try await AlertNotifier(store: store).targets(holding: [.supervisor, .quality])
                )
            }
            for complaint in arrived {
                guard let (reported, targets) = seen, !reported.contains(complaint.id) else { continue }
                let alike = try await similar.similar(
                    toText: complaint.subject + "\n" + complaint.description, excluding: complaint.id,
                    in: .received(from: complaint.receivedAt.addingTimeInterval(-window), to: complaint.receivedAt),
                    limit: 1000, minimumScore: rule.minimumScore)
                guard let members = rule.group(of: complaint.id, among: alike.map { ($0.id, $0.score) }),
                    !members.contains(where: reported.contains)
                else { continue }
                let group =
                    alike.sorted { $0.receivedAt < $1.receivedAt }
                    + [
                        SimilarComplaints.Match(complaint, score: 1)
                    ]
                let burst = ComplaintBurst(
                    id: TimeOrderedID.make(at: now), detectedAt: now, seed: complaint.id,
                    title: String(complaint.subject.prefix(TextRules.line)), members: group.map(\.id))
                let alerts = Self.alerts(for: burst, group: group, rule: rule, to: targets, at: now)
                if try await store.recordBurst(burst, outbox: alerts) {
                    found.append(burst)
                    seen?.reported.formUnion(burst.members)
                }
            }
            if arrived.count < batch { break }
        }
        return found
    }

    /// How far back a burst can still become an incident from its proposal.
    public static let proposalDays = 30

    /// A burst reported within `proposalDays`, by id.
    public func burst(id: String) async throws -> ComplaintBurst? {
        try await store.bursts(since: time.instant().addingTimeInterval(-Double(Self.proposalDays) * 86_400))
            .first { $0.id == id }
    }

    static func alerts(
        for burst: ComplaintBurst, group: [SimilarComplaints.Match], rule: BurstRule,
        to targets: [(target: NotificationTarget, user: UserAccount)], at now: Date
    ) -> [OutboxMessage] {
        targets.map { target, user in
            let language = user.language
            let subject = LocalizedText(
                zh: "【疑似群诉】\(rule.windowMinutes) 分钟内 \(group.count) 件相似投诉：\(burst.title)",
                en: "[Possible mass incident] \(group.count) alike complaints within \(rule.windowMinutes) minutes: "
                    + burst.title
            ).text(in: language)
            let lines = group.prefix(30).map { "\($0.number)  \($0.subject)" }
            let proposal = LocalizedText(
                zh: "建议立为群诉事件：\(burst.title)，统一查明原因、统一处理，并逐一答复每位客户。",
                en: "Proposed incident: \(burst.title): find the cause once, handle it once, and answer each customer."
            ).text(in: language)
            let body = ([subject, ""] + lines + (group.count > 30 ? ["…"] : []) + ["", proposal]).joined(
                separator: "\n")
            return OutboxMessage(
                createdAt: now, complaintID: burst.seed, topic: "alert.burst", channel: target.channel,
                recipient: target.address, subject: subject, body: body)
        }
    }
}
