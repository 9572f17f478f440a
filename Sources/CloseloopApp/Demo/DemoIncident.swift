import CloseloopCore
import CloseloopStore
import Foundation

/// The demo's mass incident: three customers whose orders from one warehouse were held up by the same flood, opened
/// as an incident, accepted and proposed once, each now waiting for its customer; and one customer's second call
/// merged into their first complaint. Written for the demo (made-up customers), told to nobody.
struct DemoIncident {
    let services: AppServices

    static let customers: [(name: String, phone: String, subject: String, description: String)] = [
        (
            "钱女士", "13700137001", "订单一周未发货",
            "六天前下单的立式空调至今显示“仓库处理中”，客服说是华东仓的问题，什么时候能送到？"
        ),
        (
            "孙先生", "13700137002", "华东仓发货延误",
            "买的洗碗机说好三天送到，已经一周了还在华东仓没有发出，家里装修等着安装。"
        ),
        (
            "李女士", "13700137003", "说好的送货日期过了",
            "冰箱订单承诺周五前送达，现在物流信息停在华东仓五天了，没人通知我延误原因。"
        ),
    ]

    func play() async throws {
        // The demo's customers are made up: nothing is sent to them.
        let complaints = ComplaintService(
            store: services.store, settings: services.settings, time: services.time, links: services.links,
            notifiesCustomers: false)
        let incidents = IncidentService(
            store: services.store, settings: services.settings, time: services.time, audit: services.audit,
            complaints: complaints)
        let agent = try await account("zhangwei")
        var numbers: [String] = []
        for (index, customer) in Self.customers.enumerated() {
            let intake = Intake(
                channel: index == 1 ? .web : .phone, kind: .complaint,
                customer: CustomerDetails(name: customer.name, phone: customer.phone), subject: customer.subject,
                description: customer.description, remedies: [.explanation], priority: .p1, severity: .dissatisfied)
            let received = services.time.instant().addingTimeInterval(-Double(5 - index) * 3600)
            let (record, _) = try await complaints.create(intake, receivedAt: received, by: .staff(agent.staffMember))
            numbers.append(record.complaint.number)
        }
        let supervisor = try await account("liqiang")
        let (incident, _) = try await incidents.open(
            Incident.Details(
                title: "华东仓暴雨停运，订单发货延误", cause: "华东仓所在园区暴雨积水停运三天，期间订单未能出库。",
                category: "delivery", subcategory: "delivery.delay", severity: .major,
                department: DepartmentID("logistics"), owner: UserID("zhangwei"), handler: UserID("huangmin")),
            linking: numbers, by: supervisor)
        let accepted = try await incidents.handle(
            .accept, on: incident.number, expectedVersion: incident.version, by: supervisor)
        _ = try await incidents.handle(
            .propose(
                analysis: .init(
                    problemType: "仓储停运", rootCause: .logistics, technical: false,
                    findings: "华东仓暴雨积水停运三天，停运期间的订单全部积压。", suggestedSolution: "改由华南仓调货，优先发出"),
                solution: .init(
                    types: [.apology, .rescheduledService],
                    message: "{customer}您好：因华东仓暴雨停运，您的订单（投诉 {number}）延误了，非常抱歉。我们已改由华南仓调货，三天内送达。",
                    compensation: nil)),
            on: incident.number, expectedVersion: accepted.incident.version, by: try await account("huangmin"))

        // The first customer calls again about the same order: merged into their first complaint.
        let first = Self.customers[0]
        let (again, _) = try await complaints.create(
            Intake(
                channel: .phone, kind: .complaint, customer: CustomerDetails(name: first.name, phone: first.phone),
                subject: "空调还没发货，再次投诉", description: "上次投诉后还是没有发货，请尽快处理。", remedies: [.explanation],
                priority: .p1, severity: .dissatisfied),
            receivedAt: services.time.instant().addingTimeInterval(-3600), by: .staff(agent.staffMember))
        _ = try await complaints.perform(
            .merge(into: numbers[0], reason: "同一订单的再次来电"), on: again.complaint.id,
            expectedVersion: again.complaint.version, by: .staff(agent.staffMember))
    }

    private func account(_ username: String) async throws -> UserAccount {
        guard let user = try await services.store.user(username: username) else {
            throw StoreError.userNotFound(username)
        }
        return user
    }
}
