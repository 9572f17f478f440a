import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation

/// Generates complaint number *i* of a seeded stream: received some time in the two years before `now`, then taken
/// along the loop by the right people at plausible intervals until either its story ends (closed, sometimes
/// archived) or its next step would lie after `now` — so old complaints are mostly closed and recent ones are open
/// in every state of the loop.
struct ComplaintGenerator: Sendable {
    let corpus: Corpus
    let organisation: Organisation
    let policy: ServicePolicy
    let calendar: BusinessCalendar
    let alertPolicy: AlertPolicy
    let now: Date
    let seed: UInt64

    static let span: TimeInterval = 730 * 86_400

    /// When complaint `index` was received and its year in the business calendar (the numbering year), so numbers
    /// can be reserved per year before the complaints are built.
    func receipt(of index: Int) -> (at: Date, year: Int) {
        var random = SeededRandom(seed: seed, index: index)
        let at = receivedAt(using: &random)
        return (at, calendar.localDate(of: at).year)
    }

    private func receivedAt(using random: inout SeededRandom) -> Date {
        // More complaints lately than two years ago (a growing company), most of them in the day.
        let age = Self.span * pow(Double.random(in: 0..<1, using: &random), 1.25)
        var at = now.addingTimeInterval(-max(age, 60))
        let hour = calendar.localHour(of: at)
        if hour < 8 && random.chance(0.8) && at.addingTimeInterval(9 * 3600) < now.addingTimeInterval(-60) {
            at = at.addingTimeInterval(9 * 3600)
        }
        return Date(timeIntervalSince1970: (at.timeIntervalSince1970 * 1000).rounded(.down) / 1000)
    }

    /// Builds complaint `index`, numbered with `sequence` of its year.
    func complaint(_ index: Int, sequence: Int) throws -> BulkComplaint {
        var random = SeededRandom(seed: seed, index: index)
        let received = receivedAt(using: &random)
        let text = corpus.text(using: &random)
        let agent = organisation.agents[Int.random(in: 0..<organisation.agents.count, using: &random)]
        let intake = makeIntake(text, using: &random)
        let number = policy.numbering.format(sequence: sequence, on: calendar.localDate(of: received))
        // Unique per index, shaped like the server's lowercase UUIDs.
        let id = ComplaintID(String(format: "%08x-%04x-4000-8000-%012llx", index, seed & 0xFFFF, random.next() >> 16))
        let (complaint, event) = try Workflow(policy: policy).receive(
            intake, id: id, number: number, at: received, by: .staff(agent))
        var replay = HistoryReplay(
            complaint: complaint, received: event, policy: policy, calendar: calendar, alertPolicy: alertPolicy)
        var story = Story(replay: replay, random: random, now: now, text: text)
        try tell(&story, agent: agent)
        replay = story.replay
        replay.raiseAlerts(until: now)
        return BulkComplaint(
            record: replay.record(at: now), history: replay.history, numberYear: calendar.localDate(of: received).year,
            numberSequence: sequence, penalties: replay.penalties)
    }

    private func makeIntake(_ text: ComplaintText, using random: inout SeededRandom) -> Intake {
        let chinese = text.language == .chinese
        let phone =
            "1" + String("3456789".randomElement(using: &random)!)
            + String(format: "%09d", Int.random(in: 0..<1_000_000_000, using: &random))
        let customer: CustomerDetails
        if chinese {
            customer = CustomerDetails(
                name: Organisation.chineseName(using: &random) + (random.chance(0.5) ? "先生" : "女士"), phone: phone)
        } else {
            let first = ["James", "Mary", "Wei", "Linda", "David", "Susan", "Kevin", "Emma", "Li", "Tom"]
            let last = ["Smith", "Chen", "Brown", "Wang", "Taylor", "Lee", "Evans", "Zhang", "Clark", "Lin"]
            let name = first.randomElement(using: &random)! + " " + last.randomElement(using: &random)!
            let email =
                name.lowercased().replacingOccurrences(of: " ", with: ".")
                + "\(Int.random(in: 1...9999, using: &random))@example.com"
            customer = CustomerDetails(name: name, phone: random.chance(0.5) ? phone : nil, email: email)
        }
        let channel = random.weighted([
            (Channel.phone, 35), (.web, 25), (.im, 12), (.email, 10), (.api, 5), (.walkIn, 4), (.letter, 3),
            (.suggestionBox, 2), (.internal, 4),
        ])
        let kind = random.weighted([
            (ComplaintKind.complaint, 86), (.inquiry, 6), (.help, 4), (.suggestion, 2), (.venting, 2),
        ])
        let remedies = Array(Remedy.allCases.shuffled(using: &random).prefix(Int.random(in: 0...2, using: &random)))
        return Intake(
            channel: channel, kind: kind, customer: customer,
            reference: random.chance(0.7) ? "SO-\(Int.random(in: 100_000...999_999, using: &random))" : nil,
            product: text.product, subject: text.subject, description: text.description, remedies: remedies,
            priority: random.weighted([(Priority.p0, 3), (.p1, 22), (.p2, 75)]),
            severity: random.weighted([
                (Severity.dissatisfied, 60), (.veryDissatisfied, 28), (.major, 10), (.crisis, 2),
            ]))
    }

    // MARK: - The story

    /// A complaint on its way round the loop, with the clock that says when it must stop.
    struct Story {
        var replay: HistoryReplay
        var random: SeededRandom
        let now: Date
        let text: ComplaintText
        /// Set once a step would fall after `now` (or the story ends early); nothing more happens.
        var stopped = false
        /// The owner, once assigned, who keeps the customer informed between steps.
        var owner: Actor?

        var chinese: Bool { text.language == .chinese }

        /// Performs `action` after a delay of `low…high` seconds (log-uniform), unless that lies after now.
        mutating func step(_ low: Double, _ high: Double, _ actor: Actor, _ action: ComplaintAction) throws {
            guard !stopped else { return }
            let delay = random.seconds(low, high)
            let at = replay.latest.addingTimeInterval(delay)
            let instant = Date(timeIntervalSince1970: (at.timeIntervalSince1970 * 1000).rounded(.down) / 1000)
            guard instant < now else {
                stopped = true
                return
            }
            if let owner {
                try replay.keepCustomerInformed(
                    until: instant, by: owner, note: say("进度更新", "Progress update"), using: &random)
            }
            try replay.act(action, by: actor, at: instant)
        }

        func say(_ zh: String, _ en: String) -> String { chinese ? zh : en }
    }

    private func tell(_ story: inout Story, agent: StaffMember) throws {
        let age = now.timeIntervalSince(story.replay.complaint.receivedAt)
        // A few old complaints are stuck somewhere in the loop (waiting on a part, a customer who does not answer).
        if age > 30 * 86_400 && story.random.chance(0.04) {
            try tellLoop(&story, agent: agent, stopAfter: Int.random(in: 1...9, using: &story.random))
        } else {
            try tellLoop(&story, agent: agent, stopAfter: nil)
        }
    }

    private func tellLoop(_ story: inout Story, agent: StaffMember, stopAfter: Int?) throws {
        let minute = 60.0
        let hour = 3_600.0
        let day = 86_400.0
        var stage = 0
        func reached(_ story: inout Story) -> Bool {
            stage += 1
            if let stopAfter, stage > stopAfter { story.stopped = true }
            return story.stopped
        }
        let staff = Actor.staff(agent)
        let supervisor = Actor.staff(
            organisation.supervisors[Int.random(in: 0..<organisation.supervisors.count, using: &story.random)])
        // Intake checks: a few complaints lack something and wait for the customer.
        if story.random.chance(0.06) {
            try story.step(
                2 * minute, 40 * minute, staff,
                .checkCompleteness(complete: false, missing: [story.say("订单号", "order number")], note: ""))
            try story.step(
                hour, 3 * day, .customer,
                .provideInformation(note: story.say("订单号已补充", "Order number added"), attachments: []))
        }
        let kind = story.replay.complaint.kind
        if !kind.isRequest {
            // The agent calls the customer back first: the first-contact clock starts at receipt.
            if story.random.chance(0.15) {
                try story.step(2 * minute, 15 * minute, staff, .recordContact(outcome: .noAnswer, note: ""))
            }
            try story.step(
                2 * minute, 25 * minute, staff,
                .recordContact(outcome: .reached, note: story.say("已联系客户，说明处理流程", "Reached the customer")))
        }
        try story.step(2 * minute, 30 * minute, staff, .checkCompleteness(complete: true, missing: [], note: ""))
        if reached(&story) { return }
        if kind.isRequest {
            try story.step(
                10 * minute, day, staff,
                .answerRequest(answer: story.say("已电话答复客户并短信发送说明。", "Answered by phone, details sent by text.")))
            try archive(&story)
            return
        }
        if story.random.chance(0.03) {
            try story.step(
                minute, 20 * minute, staff,
                .decideValidity(valid: false, reason: story.say("重复提交，已合并处理", "Duplicate submission")))
            return
        }
        try story.step(minute, 20 * minute, staff, .decideValidity(valid: true, reason: ""))
        if reached(&story) { return }
        let unit = organisation.unit(for: story.text, using: &story.random)
        let handler = unit.handlers[Int.random(in: 0..<unit.handlers.count, using: &story.random)]
        let intake = story.replay.complaint.intake
        let category = [
            "quality", "quality.defect", "service", "billing", "delivery", "delivery.delay", "after_sales", "claims",
            "finance", "other",
        ].randomElement(using: &story.random)!
        try story.step(
            5 * minute, 4 * hour, supervisor,
            .assign(
                .init(
                    category: category,
                    priority: story.random.chance(0.85)
                        ? intake.priority : Priority.allCases.randomElement(using: &story.random)!,
                    severity: story.random.chance(0.85)
                        ? intake.severity : Severity.allCases.randomElement(using: &story.random)!,
                    department: unit.id, owner: agent.id, handler: handler.id)))
        if reached(&story) { return }
        story.owner = staff
        let handling = Actor.staff(handler)
        if story.random.chance(0.03) {
            try story.step(
                hour, day, handling,
                .requestDelay(
                    reason: story.say("客户出差，约定下周上门", "Customer away until next week"),
                    until: story.replay.latest.addingTimeInterval(7 * day)))
            try story.step(hour, 8 * hour, .staff(unit.manager), .decideDelay(approved: true, comment: ""))
        }
        try story.step(
            hour, day, handling,
            .submitAnalysis(
                .init(
                    problemType: story.say("产品质量", "Product quality"),
                    rootCause: RootCause.allCases.randomElement(using: &story.random)!,
                    technical: story.random.chance(0.5),
                    findings: story.say(
                        "核查订单与现场情况，确认问题属实。", "Checked the order and the facts; the complaint is founded."),
                    suggestedSolution: story.say("维修或更换，并向客户致歉", "Repair or replace, and apologise"))))
        if reached(&story) { return }
        // The owner tells the customer where things stand, which restarts the customer-update clock.
        try story.step(
            20 * minute, 4 * hour, staff,
            .recordContact(outcome: .reached, note: story.say("告知客户调查结果与下一步", "Told the customer the findings")))
        var retries = 0
        while !story.stopped {
            try propose(&story, handling: handling, unit: unit, withCompensation: retries == 0)
            if story.replay.complaint.state == .investigating { retries += 1; continue }
            if reached(&story) { return }
            let accepts = retries > 0 || story.random.chance(0.9)
            try story.step(
                30 * minute, day, .customer,
                .respondToProposal(accepted: accepts, comment: accepts ? "" : story.say("补偿太少", "Not enough")))
            if !accepts { retries += 1; continue }
            if reached(&story) { return }
            if story.random.chance(0.3) {
                try story.step(
                    2 * hour, day, handling,
                    .recordProgress(note: story.say("已安排处理", "Work scheduled"), workFinished: false, evidence: []))
            }
            try story.step(
                hour, 36 * hour, handling,
                .recordProgress(note: story.say("处理完成", "Work done"), workFinished: true, evidence: []))
            try story.step(
                10 * minute, 10 * hour, handling,
                .returnResult(
                    summary: story.say("已处理完毕，请回访确认", "Done; please confirm with the customer"), attachments: []))
            if reached(&story) { return }
            let satisfied = retries > 0 || story.random.chance(0.93)
            let score = satisfied ? story.random.weighted([(5, 45.0), (4, 35), (3, 15), (2, 3), (1, 2)]) : 2
            try story.step(
                hour, 20 * hour, staff,
                .verify(solved: satisfied, satisfied: satisfied, score: score, note: ""))
            if satisfied { break }
            retries += 1
        }
        if reached(&story) { return }
        try story.step(
            hour, 2 * day, staff,
            .recordReturnVisit(notes: story.say("回访客户，问题已解决", "Return visit: the customer confirms it is solved")))
        try story.step(10 * minute, day, supervisor, .close(note: story.say("同意结案", "Closed")))
        try archive(&story)
    }

    /// A proposal, approved up the chain when it needs to be; a rejection sends the complaint back to investigating.
    private func propose(
        _ story: inout Story, handling: Actor, unit: Organisation.Unit, withCompensation: Bool
    ) throws {
        let hour = 3_600.0
        if withCompensation && story.random.chance(0.35) {
            let amount = Int64((story.random.seconds(20, 20_000) / 10).rounded()) * 10
            try story.step(
                hour, day, handling,
                .proposeSolution(
                    types: [.apology, .compensation],
                    description: story.say("致歉并补偿 \(amount) 元", "Apologise and compensate \(amount) yuan"),
                    compensation: .yuan(amount)))
        } else {
            try story.step(
                hour, day, handling,
                .proposeSolution(
                    types: [[.repair], [.replacement], [.refund], [.explanation, .apology]].randomElement(
                        using: &story.random)!,
                    description: story.say("上门维修或更换，并致歉", "Repair or replace at home, with an apology"),
                    compensation: nil))
        }
        guard !story.stopped, story.replay.complaint.state == .awaitingApproval,
            let required = story.replay.complaint.proposal?.requiredApprover
        else { return }
        let approves = story.random.chance(0.9)
        try story.step(
            hour, 6 * hour, .staff(organisation.approver(for: required, in: unit)),
            .decideApproval(approved: approves, comment: approves ? "" : story.say("金额过高", "Too much")))
    }

    private var day: Double { 86_400 }

    /// Closed complaints are archived by quality after a while, a few with a case write-up first.
    private func archive(_ story: inout Story) throws {
        guard !story.stopped, story.replay.complaint.state == .closed, story.random.chance(0.5) else { return }
        let quality = Actor.staff(organisation.quality)
        if story.random.chance(0.02) {
            try story.step(
                day, 10 * day, quality,
                .writeCase(
                    .init(
                        cause: story.say("部件批次缺陷", "Faulty part batch"), handling: story.say("更换部件", "Replaced"),
                        lesson: story.say("加强来料检验", "Inspect incoming parts"),
                        prevention: story.say("供应商整改", "Supplier corrective action"))))
        }
        try story.step(day, 30 * day, quality, .archive(note: ""))
    }
}

extension BusinessCalendar {
    /// The hour of day of an instant in the calendar's zone.
    func localHour(of instant: Date) -> Int {
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = timeZone
        return gregorian.component(.hour, from: instant)
    }
}
