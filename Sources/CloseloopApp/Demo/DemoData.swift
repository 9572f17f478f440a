import CloseloopCore
import CloseloopStore
import Foundation

/// Demo data for `closeloop serve --demo`: departments, one user per role and complaints at every stage of the loop.
/// The texts are written for the demo; none comes from a real customer.
public struct DemoData: Sendable {
    /// Every demo user signs in with this password.
    public static let password = "closeloop-demo"
    /// The demo's webhook source, to try `POST /api/v1/intake/webhook/demo-shop` with (README).
    public static let webhookSource = WebhookSettings.Source(name: "demo-shop", secret: "closeloop-demo-webhook")
    /// The demo's WeChat official account, to try `/wechat/demo-wechat` with (README).
    public static let weChatAccount = WeChatSettings.Account(name: "demo-wechat", token: "closeloopdemo")

    public let services: AppServices

    public init(services: AppServices) { self.services = services }

    /// Seeds an empty database; does nothing when users already exist.
    @discardableResult
    public func seedIfEmpty() async throws -> Bool {
        guard try await services.store.users().isEmpty else { return false }
        try await seed()
        return true
    }

    static let departments: [(String, String, String)] = [
        ("call_centre", "呼叫中心", "Call centre"), ("after_sales", "售后服务部", "After-sales service"),
        ("logistics", "物流部", "Logistics"), ("billing", "财务结算部", "Billing"),
        ("quality", "质量管理部", "Quality"),
    ]

    static let users: [(username: String, name: String, department: String, grants: [RoleGrant])] = [
        ("admin", "系统管理员", "call_centre", [RoleGrant(.administrator)]),
        ("zhangwei", "张伟", "call_centre", [RoleGrant(.agent)]),
        ("chenxi", "陈曦", "call_centre", [RoleGrant(.agent)]),
        ("liqiang", "李强", "call_centre", [RoleGrant(.supervisor), RoleGrant(.agent)]),
        ("wangfang", "王芳", "after_sales", [RoleGrant(.handler, in: DepartmentID("after_sales"))]),
        ("zhaolei", "赵磊", "after_sales", [RoleGrant(.departmentManager, in: DepartmentID("after_sales"))]),
        ("huangmin", "黄敏", "logistics", [RoleGrant(.handler, in: DepartmentID("logistics"))]),
        ("zhoujie", "周杰", "logistics", [RoleGrant(.departmentManager, in: DepartmentID("logistics"))]),
        ("chenjing", "陈静", "call_centre", [RoleGrant(.vicePresident)]),
        ("liuyang", "刘洋", "call_centre", [RoleGrant(.generalManager)]),
        ("sunli", "孙丽", "quality", [RoleGrant(.quality)]),
    ]

    func seed() async throws {
        let store = services.store
        for (id, zh, en) in Self.departments {
            try await store.saveDepartment(Department(id: DepartmentID(id), name: LocalizedText(zh: zh, en: en)))
        }
        let hash = services.passwords.hash(Self.password)
        for user in Self.users {
            try await store.createUser(
                UserAccount(
                    id: UserID(user.username), username: user.username, displayName: user.name, passwordHash: hash,
                    department: DepartmentID(user.department), grants: user.grants, language: .zhHans, active: true,
                    createdAt: services.time.instant()))
        }
        try await services.settings.save(
            WebhookSettings(sources: [Self.webhookSource]), by: .commandLine(login: "demo"), section: "webhooks",
            detail: "demo")
        try await services.settings.save(
            WeChatSettings(accounts: [Self.weChatAccount]), by: .commandLine(login: "demo"), section: "wechat",
            detail: "demo")
        try await DemoHistory(services: services).play()
        for story in Self.stories { try await play(story) }
        try await DemoIncident(services: services).play()
    }

    // MARK: - Stories

    /// A complaint and how far along the loop it has come.
    struct Story {
        var hoursAgo: Double
        var intake: Intake
        var steps: [(UserID?, ComplaintAction)]
    }

    func play(_ story: Story) async throws {
        let agent = try await member("zhangwei")
        let received = services.time.instant().addingTimeInterval(-story.hoursAgo * 3600)
        // The demo's customers are made up: nothing is sent to them.
        let complaints = ComplaintService(
            store: services.store, settings: services.settings, time: services.time, links: services.links,
            notifiesCustomers: false)
        var (record, _) = try await complaints.create(story.intake, receivedAt: received, by: .staff(agent))
        for (user, action) in story.steps {
            var actor = Actor.customer
            if let user { actor = .staff(try await member(user.rawValue)) }
            record = try await complaints.perform(
                action, on: record.complaint.id, expectedVersion: record.complaint.version, by: actor)
        }
    }

    private func member(_ username: String) async throws -> StaffMember {
        guard let user = try await services.store.user(username: username) else {
            throw StoreError.userNotFound(username)
        }
        return user.staffMember
    }

    static func customer(_ name: String, _ phone: String, _ email: String? = nil) -> CustomerDetails {
        CustomerDetails(name: name, phone: phone, email: email)
    }

    static let agent = UserID("zhangwei")
    static let supervisor = UserID("liqiang")
    static let handler = UserID("wangfang")
    static let manager = UserID("zhaolei")
    static let logisticsHandler = UserID("huangmin")

    static let checked: (UserID?, ComplaintAction) = (
        agent, .checkCompleteness(complete: true, missing: [], note: "身份、联系方式和订单号已核实")
    )
    static let valid: (UserID?, ComplaintAction) = (agent, .decideValidity(valid: true, reason: ""))
    static func assigned(
        _ department: String, _ handler: UserID, priority: Priority = .p1, severity: Severity = .dissatisfied
    )
        -> (UserID?, ComplaintAction)
    {
        (
            supervisor,
            .assign(
                .init(
                    category: department == "logistics" ? "delivery" : "after_sales", priority: priority,
                    severity: severity, department: DepartmentID(department), owner: agent, handler: handler))
        )
    }
    static func analysed(_ by: UserID) -> (UserID?, ComplaintAction) {
        (
            by,
            .submitAnalysis(
                .init(
                    problemType: "产品质量", rootCause: .hardwareFault, technical: true,
                    findings: "上门检测确认压缩机启动电容老化，导致制冷不足。", suggestedSolution: "更换电容并延长保修一年"))
        )
    }

    static let stories: [Story] = [
        Story(
            hoursAgo: 0.2,
            intake: Intake(
                channel: .phone, customer: customer("周女士", "13800138001"), reference: "SO-2026-11-0412",
                product: "变频空调 KF-35", subject: "新装空调不制冷",
                description: "上周安装的空调，开机半小时房间温度没有变化，室外机有异响，希望尽快上门检查。",
                remedies: [.repair], priority: .p1),
            steps: []),
        Story(
            hoursAgo: 3,
            intake: Intake(
                channel: .web, customer: customer("Mr. Evans", "+44 20 7946 0958", "evans@example.com"),
                reference: "SO-2026-11-0388", product: "Washing machine WM-8",
                subject: "Delivery arrived with a cracked door",
                description:
                    "The washing machine was delivered today and the glass door is cracked. I would like a replacement.",
                remedies: [.replacement]),
            steps: [checked, valid]),
        Story(
            hoursAgo: 26,
            intake: Intake(
                channel: .im, customer: customer("吴先生", "13900139002"), reference: "WL-88231",
                subject: "快递三天未更新物流", description: "订单显示已发货，但物流信息三天没有更新，客服电话一直占线。",
                remedies: [.explanation], priority: .p2),
            steps: [
                checked, valid, assigned("logistics", logisticsHandler),
                (agent, .recordContact(outcome: .reached, note: "已向客户说明正在核查中转站")),
            ]),
        Story(
            hoursAgo: 50,
            intake: Intake(
                channel: .phone, customer: customer("郑女士", "13700137003"), reference: "SO-2026-10-2291",
                product: "冰箱 BCD-520", subject: "冰箱冷藏室结冰",
                description: "冰箱使用两个月，冷藏室后壁频繁结冰，蔬菜被冻坏，要求维修并赔偿损失。",
                remedies: [.repair, .compensation], priority: .p1, severity: .veryDissatisfied),
            steps: [
                checked, valid, assigned("after_sales", handler, severity: .veryDissatisfied), analysed(handler),
                (
                    handler,
                    .proposeSolution(
                        types: [.repair, .compensation], description: "免费更换温控器，并补偿食材损失 800 元", compensation: .yuan(800))
                ),
            ]),
        Story(
            hoursAgo: 75,
            intake: Intake(
                channel: .email, customer: customer("Ms. Lin", "13600136004", "lin@example.cn"),
                reference: "INV-20261009", subject: "Charged twice for one order",
                description: "My card was charged twice for order 20261009. Please refund the duplicate payment.",
                remedies: [.refund], priority: .p1),
            steps: [
                checked, valid, assigned("after_sales", handler), analysed(handler),
                (
                    handler,
                    .proposeSolution(
                        types: [.refund, .apology],
                        description: "Refund the duplicate charge of 1,299 yuan and apologise", compensation: nil)
                ),
                (nil, .respondToProposal(accepted: true, comment: "OK, thank you")),
                (handler, .recordProgress(note: "退款已提交财务", workFinished: false, evidence: [])),
            ]),
        Story(
            hoursAgo: 120,
            intake: Intake(
                channel: .walkIn, customer: customer("冯先生", "13500135005"), product: "热水器 EH-60",
                subject: "热水器漏电跳闸", description: "热水器使用时多次跳闸，担心有漏电危险，要求上门检修。",
                remedies: [.repair], priority: .p0, severity: .major),
            steps: [
                checked, valid, assigned("after_sales", handler, priority: .p0, severity: .major),
                (agent, .recordContact(outcome: .reached, note: "已提醒客户暂停使用并断电")), analysed(handler),
                (handler, .proposeSolution(types: [.replacement, .apology], description: "更换整机", compensation: nil)),
                (nil, .respondToProposal(accepted: true, comment: "")),
                (handler, .recordProgress(note: "已上门更换整机并完成绝缘测试", workFinished: true, evidence: [])),
                (handler, .returnResult(summary: "整机已更换，测试合格", attachments: [])),
            ]),
        Story(
            hoursAgo: 200,
            intake: Intake(
                channel: .letter, kind: .inquiry, customer: customer("韩女士", "13300133006"), subject: "咨询延保政策",
                description: "想了解购买延长保修的价格和覆盖范围。"),
            steps: [(agent, .answerRequest(answer: "延保两年 199 元，覆盖主要部件的免费维修，已短信发送详细条款。"))]),
        Story(
            hoursAgo: 300,
            intake: Intake(
                channel: .phone, customer: customer("秦先生", "13200132007"), reference: "SO-2026-10-0815",
                product: "油烟机 CXW-200", subject: "安装师傅态度差",
                description: "安装师傅迟到两小时且态度恶劣，安装后留下大量垃圾。",
                remedies: [.apology], priority: .p2),
            steps: [
                checked, valid, assigned("after_sales", handler), analysed(handler),
                (
                    handler,
                    .proposeSolution(
                        types: [.apology, .compensation], description: "致歉并赠送一次免费清洗服务", compensation: .yuan(100))
                ),
                (nil, .respondToProposal(accepted: true, comment: "")),
                (handler, .recordProgress(note: "已安排清洗", workFinished: true, evidence: [])),
                (handler, .returnResult(summary: "清洗完成，客户在场确认", attachments: [])),
                (agent, .verify(solved: true, satisfied: true, score: 4, note: "客户表示满意")),
                (agent, .recordReturnVisit(notes: "回访时客户表示问题已解决")),
                (supervisor, .close(note: "同意结案")),
            ]),
        Story(
            hoursAgo: 8,
            intake: Intake(
                channel: .web, kind: .help, customer: customer("陶女士", "13100131008"), subject: "订单地址填写错误",
                description: "下单时地址写错了，能否帮忙修改？"),
            steps: []),
    ]
}
