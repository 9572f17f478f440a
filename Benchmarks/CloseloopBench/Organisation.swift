@_spi(Tools) import CloseloopApp
import CloseloopCore
import CloseloopServer
import CloseloopStore
import Foundation

/// The company the generated complaints belong to: a call centre, six responsible departments and the staff of
/// every role, created through the store's own user and department functions.
struct Organisation: Sendable {
    struct Unit: Sendable {
        var id: DepartmentID
        var handlers: [StaffMember]
        var manager: StaffMember
    }

    var agents: [StaffMember]
    var supervisors: [StaffMember]
    var units: [Unit]
    var vicePresident: StaffMember
    var generalManager: StaffMember
    var quality: StaffMember
    /// The user whose API token drives the HTTP benchmarks (supervisor and agent: may record and list everything).
    static let benchUser = "bench_lead"

    static let departments: [(id: String, zh: String, en: String)] = [
        ("after_sales", "售后服务部", "After-sales service"), ("logistics", "物流部", "Logistics"),
        ("billing", "财务结算部", "Billing"), ("technical", "技术支持部", "Technical support"),
        ("sales", "销售部", "Sales"), ("catering", "餐饮服务部", "Catering"),
    ]

    private static let surnames = Array(
        "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
    private static let givenNames = Array("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鑫斌宇浩凯健俊帆帅旭宁婷雪琳晨欣怡")

    /// A Chinese name for staff and customers, from common surnames and given-name characters.
    static func chineseName(using random: inout SeededRandom) -> String {
        let surname = surnames[Int.random(in: 0..<surnames.count, using: &random)]
        let count = random.chance(0.6) ? 2 : 1
        let given = (0..<count).map { _ in givenNames[Int.random(in: 0..<givenNames.count, using: &random)] }
        return String(surname) + String(given)
    }

    /// Creates the departments and users when they are missing, then reads everyone back.
    static func ensure(in services: AppServices) async throws -> Organisation {
        let store = services.store
        let existing = Set(try await store.departments().map(\.id.rawValue))
        for department in [("call_centre", "呼叫中心", "Call centre"), ("quality", "质量管理部", "Quality")]
            + departments.map({ ($0.id, $0.zh, $0.en) }) where !existing.contains(department.0)
        {
            try await store.saveDepartment(
                Department(id: DepartmentID(department.0), name: LocalizedText(zh: department.1, en: department.2)))
        }
        var random = SeededRandom(seed: 7)
        var plan: [(username: String, department: String, grants: [RoleGrant])] = [
            (benchUser, "call_centre", [RoleGrant(.supervisor), RoleGrant(.agent)]),
            ("bench_supervisor2", "call_centre", [RoleGrant(.supervisor), RoleGrant(.agent)]),
            ("bench_vp", "call_centre", [RoleGrant(.vicePresident)]),
            ("bench_gm", "call_centre", [RoleGrant(.generalManager)]),
            ("bench_quality", "quality", [RoleGrant(.quality)]),
        ]
        for index in 1...8 { plan.append(("bench_agent\(index)", "call_centre", [RoleGrant(.agent)])) }
        for department in departments {
            let id = DepartmentID(department.id)
            plan.append(("bench_\(department.id)_manager", department.id, [RoleGrant(.departmentManager, in: id)]))
            for index in 1...4 {
                plan.append(("bench_\(department.id)_handler\(index)", department.id, [RoleGrant(.handler, in: id)]))
            }
        }
        // One bcrypt hash for all: nobody signs in with these passwords, and hashing forty of them would take a while.
        let hash = services.passwords.hash(UUID().uuidString)
        var members: [String: StaffMember] = [:]
        for entry in plan {
            let name = chineseName(using: &random)
            if let user = try await store.user(username: entry.username) {
                members[entry.username] = user.staffMember
                continue
            }
            let account = UserAccount(
                id: UserID(entry.username), username: entry.username, displayName: name, passwordHash: hash,
                department: DepartmentID(entry.department), grants: entry.grants, language: .zhHans, active: true,
                createdAt: services.time.instant())
            try await store.createUser(account)
            members[entry.username] = account.staffMember
        }
        func member(_ username: String) -> StaffMember { members[username]! }
        return Organisation(
            agents: (1...8).map { member("bench_agent\($0)") },
            supervisors: [member(benchUser), member("bench_supervisor2")],
            units: departments.map { department in
                Unit(
                    id: DepartmentID(department.id),
                    handlers: (1...4).map { member("bench_\(department.id)_handler\($0)") },
                    manager: member("bench_\(department.id)_manager"))
            },
            vicePresident: member("bench_vp"), generalManager: member("bench_gm"), quality: member("bench_quality"))
    }

    /// The department a text's source most likely concerns, sometimes another (misrouted or broad complaints).
    func unit(for text: ComplaintText, using random: inout SeededRandom) -> Unit {
        let preferred: [String] =
            switch text.source {
            case "online_shopping": ["after_sales", "logistics", "sales"]
            case "waimai": ["catering", "logistics"]
            case "car": ["after_sales", "technical"]
            case "cfpb": ["billing", "sales"]
            case "airline": ["logistics", "sales", "after_sales"]
            case "twcs": ["technical", "after_sales"]
            case "comcast": ["technical", "billing"]
            default: []
            }
        if !preferred.isEmpty && random.chance(0.85) {
            let id = preferred[Int.random(in: 0..<preferred.count, using: &random)]
            if let unit = units.first(where: { $0.id.rawValue == id }) { return unit }
        }
        return units[Int.random(in: 0..<units.count, using: &random)]
    }

    /// Who may approve a proposal needing `role` in `department`.
    func approver(for role: Role, in unit: Unit) -> StaffMember {
        switch role {
        case .supervisor: supervisors[0]
        case .departmentManager: unit.manager
        case .vicePresident: vicePresident
        default: generalManager
        }
    }
}
