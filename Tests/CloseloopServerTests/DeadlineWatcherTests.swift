@_spi(Tools) import CloseloopApp
import CloseloopCore
import CloseloopServer
import CloseloopStore
import CloseloopTestSupport
import Foundation
import Testing

/// The deadline watcher of SPEC §5 with an injected clock: warnings and breaches recorded once per clock cycle,
/// through the index, safe with two server instances on one database, with the penalty ledger.
@Suite("Deadline watcher")
struct DeadlineWatcherTests {
    /// The alerts in a complaint's history, as (clock, kind, level).
    private func alerts(_ server: TestServer, _ id: String) async throws -> [String] {
        try await server.services.store.history(of: ComplaintID(id)).compactMap { event in
            guard case .clockAlerted(let alert) = event.change else { return nil }
            return "\(alert.clock.rawValue) \(alert.kind.rawValue) \(alert.level)"
        }
    }

    @Test("A warning at three quarters, a breach at the deadline, each once", arguments: DatabaseKind.available)
    func warnAndBreachOnce(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            // Wednesday 10:00; a dissatisfied customer's first contact is due at 10:30, completeness at 11:00.
            let complaint = try await server.createComplaint()
            let watcher = DeadlineWatcher(complaints: server.services.complaints)
            #expect(try await watcher.pass() == 0)
            server.time.advance(by: 23 * 60)
            #expect(try await watcher.pass() == 1)
            #expect(try await alerts(server, complaint.id) == ["first_contact warning 0"])
            #expect(try await watcher.pass() == 0, "a second pass finds nothing new")
            server.time.advance(by: 8 * 60)
            #expect(try await watcher.pass() == 1)
            #expect(try await alerts(server, complaint.id) == ["first_contact warning 0", "first_contact breach 1"])
            // Alerts are history: recorded by the system, hash-chained, visible to staff.
            let history = try await server.services.store.history(of: ComplaintID(complaint.id))
            #expect(history.last?.actor.kind == .system)
            #expect(try await server.services.store.verifyHistory().isIntact)
        }
    }

    @Test("The watcher reads only complaints that are due", arguments: [DatabaseKind.sqlite])
    func readsOnlyDue(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let complaint = try await server.createComplaint()
            let record = try #require(try await server.services.store.record(id: ComplaintID(complaint.id)))
            #expect(record.nextAlertAt == Instants.instant("2026-04-08T10:22:30+08:00"))
            #expect(try await server.services.store.complaintsWithAlertsDue(at: server.time.now(), limit: 10).isEmpty)
            server.time.advance(by: 23 * 60)
            #expect(
                try await server.services.store.complaintsWithAlertsDue(at: server.time.now(), limit: 10)
                    == [ComplaintID(complaint.id)])
        }
    }

    @Test(
        "A late first contact costs the department its penalty; an approved delay waives it",
        arguments: DatabaseKind.available)
    func penalties(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            var complaint = try await server.reaching(
                "investigating", ["severity": "very_dissatisfied"], assignment: ["category": "quality"])
            let watcher = DeadlineWatcher(complaints: server.services.complaints)
            server.time.advance(by: 25 * 60)
            try await watcher.pass()
            server.time.advance(by: 60 * 60)
            try await watcher.pass()
            try await watcher.pass()
            let entries = try await server.services.store.penalties(of: ComplaintID(complaint.id))
            #expect(entries.count == 1)
            #expect(entries.first?.amount == .yuan(30))
            #expect(entries.first?.department == Staff.afterSales)
            #expect(entries.first?.clock == .firstContact)
            let day = DateInterval(start: Instants.wednesdayMorning.addingTimeInterval(-86_400), duration: 3 * 86_400)
            let totals = try await server.services.store.penaltyTotals(from: day.start, to: day.end)
            #expect(totals.map(\.amount) == [.yuan(30)])

            complaint = try await server.complaint(complaint.id, as: Staff.agent)
            complaint = try await server.perform(
                "request-delay", on: complaint, as: Staff.agent,
                ["reason": "客户电话无人接听", "until": Instants.text(server.time.now().addingTimeInterval(86_400))])
            _ = try await server.perform("decide-delay", on: complaint, as: Staff.manager, ["approved": true])
            let waived = try await server.services.store.penalties(of: ComplaintID(complaint.id))
            #expect(waived.first?.waivedAt != nil)
            #expect(try await server.services.store.penaltyTotals(from: day.start, to: day.end).isEmpty)
        }
    }

    @Test("Two server instances on one database record each alert exactly once", arguments: DatabaseKind.available)
    func twoInstances(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            var ids: [String] = []
            for index in 0..<12 {
                ids.append(try await server.createComplaint(["subject": "并发预警 \(index)"]).id)
            }
            // A second instance: its own services (settings, caches) over the same database.
            let other = AppServices(
                database: server.services.store.database, dataDirectory: FileManager.default.temporaryDirectory,
                time: server.time, passwords: Passwords(cost: 4))
            try await other.settings.reload()
            let first = DeadlineWatcher(complaints: server.services.complaints)
            let second = DeadlineWatcher(complaints: other.complaints)
            for minutes in [23, 8, 30] {
                server.time.advance(by: Double(minutes) * 60)
                async let a = first.pass()
                async let b = second.pass()
                _ = try await (a, b)
                // Whatever one instance missed to a conflict, the next pass of either catches up.
                _ = try await (first.pass(), second.pass())
            }
            for id in ids {
                let recorded = try await alerts(server, id)
                #expect(Set(recorded).count == recorded.count, "an alert was recorded twice: \(recorded)")
                #expect(recorded.contains("first_contact warning 0"))
                #expect(recorded.contains("first_contact breach 2"))
            }
            #expect(try await server.services.store.verifyHistory().isIntact)
        }
    }
}

@Suite("Alert notifications")
struct AlertNotificationTests {
    private func targets(_ server: TestServer) async throws {
        let store = server.services.store
        for (user, address) in [
            (Staff.agent, "zhangwei@example.com"), (Staff.supervisor, "liqiang@example.com"),
            (Staff.manager, "zhaolei@example.com"), (Staff.vicePresident, "chenjing@example.com"),
            (Staff.handler, "wangfang@example.com"),
        ] {
            try await store.saveNotificationTarget(
                .init(owner: .user(UserID(user)), channel: "email", address: address))
        }
        try await store.saveNotificationTarget(
            .init(
                owner: .department(Staff.afterSales), channel: "dingtalk",
                address: "http://127.0.0.1:9/robot/send?access_token=t", secret: "SEC-test"))
    }

    /// A complaint assigned to after-sales with 张伟 as owner, at `severity`.
    private func assigned(_ server: TestServer, severity: String) async throws -> ComplaintBody {
        try await server.reaching("investigating", ["severity": severity], assignment: ["category": "quality"])
    }

    @Test(
        "A warning goes to the owner; a breach to the owner, the supervisor and the robot; further breaches go up",
        arguments: DatabaseKind.available)
    func escalationRecipients(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            try await targets(server)
            let complaint = try await assigned(server, severity: "dissatisfied")
            let id = ComplaintID(complaint.id)
            let watcher = DeadlineWatcher(complaints: server.services.complaints)
            server.time.advance(by: 23 * 60)
            try await watcher.pass()
            var outbox = try await server.services.store.outbox(of: id).filter { !$0.topic.hasPrefix("customer.") }
            #expect(outbox.map(\.recipient) == ["zhangwei@example.com"])
            #expect(outbox.first?.topic == "alert.warning")
            #expect(outbox.first?.subject.contains(complaint.number) == true)
            #expect(outbox.first?.status == .pending)

            server.time.advance(by: 8 * 60)
            try await watcher.pass()
            outbox = try await server.services.store.outbox(of: id).filter { !$0.topic.hasPrefix("customer.") }
            let breach = outbox.filter { $0.topic == "alert.breach" }
            #expect(
                Set(breach.map(\.recipient))
                    == ["zhangwei@example.com", "liqiang@example.com", "http://127.0.0.1:9/robot/send?access_token=t"])
            #expect(breach.first { $0.channel == "dingtalk" }?.body.contains("超时") == true)

            server.time.advance(by: 30 * 60)
            try await watcher.pass()
            let second = try await server.services.store.outbox(of: id).filter { $0.topic == "alert.breach" }
                .dropFirst(breach.count)
            #expect(Set(second.map(\.recipient)).contains("zhaolei@example.com"), "level 2 reaches the manager")
            #expect(!Set(second.map(\.recipient)).contains("chenjing@example.com"))
        }
    }

    @Test("A major complaint's breach reaches the director at once", arguments: [DatabaseKind.sqlite])
    func majorToDirector(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            try await targets(server)
            let complaint = try await assigned(server, severity: "major")
            let watcher = DeadlineWatcher(complaints: server.services.complaints)
            server.time.advance(by: 11 * 60)
            try await watcher.pass()
            let recipients = try await server.services.store.outbox(of: ComplaintID(complaint.id))
                .filter { $0.topic == "alert.breach" }.map(\.recipient)
            #expect(recipients.contains("chenjing@example.com"))
        }
    }

    @Test("The customer-update reminder carries the progress-update template filled in")
    func progressReminder() async throws {
        try await withServer(.sqlite) { server in
            try await targets(server)
            var complaint = try await assigned(server, severity: "dissatisfied")
            complaint = try await server.perform(
                "record-contact", on: complaint, as: Staff.agent, ["outcome": "reached", "note": "已致电"])
            // P2 updates are due daily before 17:00 on working time; three quarters in, the owner is reminded.
            let watcher = DeadlineWatcher(complaints: server.services.complaints)
            server.time.set(Instants.instant("2026-04-08T15:30:00+08:00"))
            try await watcher.pass()
            let reminder = try await server.services.store.outbox(of: ComplaintID(complaint.id))
                .first { $0.body.contains("客户进度通报") }
            let body = try #require(reminder?.body)
            #expect(body.contains("尊敬的周女士"))
            #expect(body.contains(complaint.number))
            #expect(reminder?.recipient == "zhangwei@example.com")
        }
    }
}

@Suite("Management reports")
struct ManagementReportTests {
    @Test(
        "A major complaint is reported to management at intake; one raised to major later, when it is raised",
        arguments: DatabaseKind.available)
    func reported(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let store = server.services.store
            try await store.saveNotificationTarget(
                .init(owner: .user(UserID(Staff.vicePresident)), channel: "email", address: "chenjing@example.com"))
            try await store.saveNotificationTarget(
                .init(owner: .user(UserID(Staff.generalManager)), channel: "sms", address: "13900000001"))
            let major = try await server.createComplaint(["severity": "major", "subject": "媒体曝光：热水器漏电"])
            let reports = try await store.outbox(of: ComplaintID(major.id)).filter { $0.topic == "report.management" }
            #expect(Set(reports.map(\.recipient)) == ["chenjing@example.com", "13900000001"])
            #expect(reports.allSatisfy { $0.subject.contains("媒体曝光：热水器漏电") && $0.subject.contains("重大投诉") })

            var plain = try await server.reaching("validated")
            #expect(try await store.outbox(of: ComplaintID(plain.id)).allSatisfy { $0.topic.hasPrefix("customer.") })
            plain = try await server.perform(
                "assign", on: plain, as: Staff.supervisor,
                [
                    "category": "quality", "priority": "P1", "severity": "crisis", "department": "after_sales",
                    "owner": Staff.agent,
                ])
            let raised = try await store.outbox(of: ComplaintID(plain.id)).filter { $0.topic == "report.management" }
            #expect(raised.count == 2)
            #expect(raised.first?.subject.contains("危机事件") == true)
        }
    }
}
