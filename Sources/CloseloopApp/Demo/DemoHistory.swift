import CloseloopCore
import CloseloopStore
import Foundation

/// A quarter of past complaints for the demo, so the dashboards and league tables have history to show: each
/// complaint is played through the loop at instants of its own past (a manual clock), by the people whose step it
/// is, so clocks, lateness, ratings and penalties are what the loop itself records. Deterministic: the same demo
/// every time. The texts are written for the demo; none comes from a real customer.
struct DemoHistory {
    let services: AppServices

    /// How far back the history reaches, in days.
    static let days = 100

    /// What a past complaint is about: channel, category and subcategory, the department that handles it, its words.
    struct Topic {
        var category: String
        var subcategory: String?
        var department: String
        var product: String
        var subject: String
        var description: String
        var solution: SolutionType
    }

    static let topics: [Topic] = [
        Topic(
            category: "quality", subcategory: "quality.defect", department: "after_sales", product: "变频空调 KF-35",
            subject: "空调制冷效果差", description: "空调开机一小时室温仍在 28 度以上，怀疑缺氟，请安排检查。", solution: .repair),
        Topic(
            category: "quality", subcategory: "quality.appearance", department: "after_sales", product: "滚筒洗衣机 WM-8",
            subject: "洗衣机面板有划痕", description: "收到的洗衣机控制面板有明显划痕，要求更换面板。", solution: .replacement),
        Topic(
            category: "after_sales", subcategory: nil, department: "after_sales", product: "燃气热水器 JSQ-16",
            subject: "维修预约一再推迟", description: "热水器报修后约了两次都没有人上门，冬天没有热水很不方便。",
            solution: .rescheduledService),
        Topic(
            category: "delivery", subcategory: "delivery.delay", department: "logistics", product: "双开门冰箱 BCD-520",
            subject: "冰箱送货延误", description: "订单承诺三天送达，已经过了一周还没有收到，客服也说不清楚原因。",
            solution: .apology),
        Topic(
            category: "delivery", subcategory: "delivery.damage", department: "logistics", product: "55 寸电视 TV-55",
            subject: "电视送到时屏幕破裂", description: "快递送来的电视外箱完好，打开后屏幕右下角有裂纹，要求换货。",
            solution: .replacement),
        Topic(
            category: "service", subcategory: nil, department: "after_sales", product: "吸油烟机 CXW-200",
            subject: "安装师傅态度不好", description: "安装师傅迟到两个小时，还抱怨我家橱柜难装，安装后没有清理现场。",
            solution: .apology),
        Topic(
            category: "billing", subcategory: nil, department: "after_sales", product: "延保服务",
            subject: "延保费用重复扣款", description: "购买延保时被扣了两次款，申请退还多扣的一笔。", solution: .refund),
    ]

    /// A quarter of history, a few complaints a working day; the last week's are still under way.
    func play() async throws {
        let (_, calendar) = await services.settings.current()
        let now = services.time.instant()
        let today = calendar.localDate(of: now)
        let clock = ManualTimeSource(now)
        let complaints = ComplaintService(
            store: services.store, settings: services.settings, time: clock, links: services.links,
            notifiesCustomers: false)
        var random = DemoRandom(seed: 20_261_203)
        var earlier: [(number: String, phone: String, at: Date)] = []
        for daysAgo in stride(from: Self.days, through: 1, by: -1) {
            let day = today.adding(days: -daysAgo)
            let weekend = day.weekday == .saturday || day.weekday == .sunday
            let count = weekend ? random.int(0...1) : random.int(1...3)
            for _ in 0..<count {
                let received = calendar.startOfDay(day).addingTimeInterval(
                    Double(random.int(8 * 60...20 * 60)) * 60)
                let topic = Self.topics[random.int(0...Self.topics.count - 1)]
                var phone = "139\(String(format: "%08d", random.int(0...99_999_999)))"
                var repeatOf: String?
                if random.chance(0.06),
                    let first = earlier.last(where: {
                        $0.at < received && received.timeIntervalSince($0.at) < 20 * 86_400
                    })
                {
                    phone = first.phone
                    repeatOf = first.number
                }
                let story = Played(
                    topic: topic, received: received, phone: phone, repeatOf: repeatOf, daysAgo: daysAgo,
                    random: &random)
                clock.set(received)
                let number = try await story.play(on: complaints, clock: clock, services: services)
                earlier.append((number, phone, received))
            }
        }
    }

    /// One past complaint: how it came in, how fast each step went, how far it got and how the customer rated it.
    struct Played {
        var topic: Topic
        var received: Date
        var phone: String
        var repeatOf: String?
        var channel: Channel
        var priority: Priority
        var severity: Severity
        var owner: UserID
        var slow: Bool
        var score: Int
        var lastStep: Int
        var reopen: Bool

        init(topic: Topic, received: Date, phone: String, repeatOf: String?, daysAgo: Int, random: inout DemoRandom) {
            self.topic = topic
            self.received = received
            self.phone = phone
            self.repeatOf = repeatOf
            channel = [.phone, .phone, .phone, .web, .web, .email, .im, .letter][random.int(0...7)]
            priority = [.p1, .p2, .p2, .p2, .p0][random.int(0...4)]
            severity = [.dissatisfied, .dissatisfied, .dissatisfied, .veryDissatisfied, .major][random.int(0...4)]
            owner = random.chance(0.6) ? UserID("zhangwei") : UserID("chenxi")
            slow = random.chance(topic.department == "logistics" ? 0.3 : 0.12)
            score = [5, 5, 5, 4, 4, 4, 4, 3, 3, 2, 1][random.int(0...10)]
            // The last week's complaints are still under way, at some step; the rest are closed.
            lastStep = daysAgo > 7 ? Int.max : random.int(0...9)
            reopen = daysAgo > 20 && random.chance(0.04)
        }

        func play(on complaints: ComplaintService, clock: ManualTimeSource, services: AppServices) async throws
            -> String
        {
            func member(_ username: String) async throws -> Actor {
                guard let user = try await services.store.user(username: username) else {
                    throw StoreError.userNotFound(username)
                }
                return .staff(user.staffMember)
            }
            let agent = try await member(owner.rawValue)
            let handler = try await member(topic.department == "logistics" ? "huangmin" : "wangfang")
            let supervisor = try await member("liqiang")
            let intake = Intake(
                channel: channel, customer: CustomerDetails(name: "演示客户", phone: phone), product: topic.product,
                subject: topic.subject, description: topic.description, priority: priority, severity: severity)
            var (record, _) = try await complaints.create(
                intake, receivedAt: received, repeatOf: repeatOf, origin: .archive, by: agent)
            let hour = 3600.0
            let steps: [(TimeInterval, Actor, ComplaintAction)] = [
                (0.3 * hour, agent, .recordContact(outcome: .reached, note: "已电话联系客户，说明处理流程")),
                (0.5 * hour, agent, .checkCompleteness(complete: true, missing: [], note: "")),
                (0.6 * hour, agent, .decideValidity(valid: true, reason: "")),
                (
                    1.5 * hour, supervisor,
                    .assign(
                        .init(
                            category: topic.category, subcategory: topic.subcategory, priority: priority,
                            severity: severity, department: DepartmentID(topic.department), owner: owner,
                            handler: handler.staffID))
                ),
                (
                    (slow ? 150 : 20) * hour, handler,
                    .submitAnalysis(
                        .init(
                            problemType: topic.subject,
                            rootCause: topic.department == "logistics" ? .logistics : .hardwareFault,
                            technical: topic.department != "logistics", findings: "核实客户反映属实。", suggestedSolution: ""))
                ),
                (
                    3 * hour, handler,
                    .proposeSolution(types: [topic.solution], description: "按客户诉求处理并致歉", compensation: nil)
                ),
                (4 * hour, .customer, .respondToProposal(accepted: true, comment: "同意")),
                ((slow ? 60 : 26) * hour, handler, .recordProgress(note: "已处理完毕", workFinished: true, evidence: [])),
                (1 * hour, handler, .returnResult(summary: "处理完成", attachments: [])),
                (5 * hour, agent, .verify(solved: true, satisfied: true, score: score, note: "客户确认")),
                (20 * hour, agent, .recordReturnVisit(notes: "回访客户，使用正常")),
                (2 * hour, supervisor, .close(note: "")),
            ]
            var at = received
            for (index, (delay, actor, action)) in steps.enumerated() where index < lastStep {
                at += delay
                guard at < services.time.now() else { break }
                clock.set(at)
                record = try await complaints.perform(
                    action, on: record.complaint.id, expectedVersion: record.complaint.version, by: actor)
            }
            if reopen, record.complaint.state == .closed, at + 3 * 86_400 < services.time.now() {
                clock.set(at + 3 * 86_400)
                record = try await complaints.perform(
                    .reopen(reason: "问题再次出现"), on: record.complaint.id, expectedVersion: record.complaint.version,
                    by: agent)
            }
            return record.complaint.number
        }
    }
}

extension Actor {
    /// The staff member's id (nil for the customer and the system).
    fileprivate var staffID: UserID? {
        if case .staff(let member) = self { return member.id }
        return nil
    }
}

/// The demo's dice, seeded so every demo has the same history.
struct DemoRandom {
    private var generator: SplitMix64

    init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    mutating func next() -> UInt64 { generator.next() }

    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    mutating func chance(_ probability: Double) -> Bool { Double(next() % 10_000) / 10_000 < probability }
}
