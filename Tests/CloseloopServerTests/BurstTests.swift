import CloseloopCore
import CloseloopServer
import CloseloopStore
import CloseloopTestSupport
import Foundation
import Testing

@_spi(Tools) @testable import CloseloopApp

/// Complaints alike arriving together are reported as a possible mass incident (issue 14, item 4): once, to the
/// supervisors and the quality office through the outbox, with the group and a proposed incident; unrelated
/// complaints and complaints outside the window are not counted.
@Suite("Bursts of complaints alike")
struct BurstTests {
    static let outage = [
        "小区停电了，冰箱里的东西全坏了", "今天下午停电三个小时，冰箱食物坏了要求赔偿", "停电导致冰箱里的海鲜全坏了",
        "突然停电，冰箱里的肉都坏了", "停电一下午，冰箱里的菜都坏了，谁来赔",
    ]

    static func configure(_ server: TestServer) async throws {
        var alerts = await server.services.settings.alertPolicy()
        alerts.burst = BurstRule(count: 5, windowMinutes: 120, minimumScore: 0.3)
        try await server.services.settings.save(alerts, by: .commandLine, section: "alerts", detail: "")
        try await server.services.store.saveNotificationTarget(
            .init(owner: .user(UserID(Staff.supervisor)), channel: "email", address: "liqiang@example.com"))
    }

    static func alerts(_ server: TestServer) async throws -> [OutboxMessage] {
        try await server.services.store.outboxMessages(status: nil, limit: 200).filter { $0.topic == "alert.burst" }
    }

    @Test(
        "Five alike within the window are reported once, with the group and a proposed incident",
        arguments: DatabaseKind.available)
    func reported(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            try await Self.configure(server)
            _ = try await server.createComplaint(["subject": "快递没到", "description": "快递五天了还没送到"])
            var numbers: [String] = []
            for text in Self.outage {
                server.time.advance(by: 600)
                numbers.append(
                    try await server.createComplaint(["subject": String(text.prefix(10)), "description": text]).number)
            }
            let watcher = server.services.bursts
            let bursts = try await watcher.pass()
            #expect(bursts.count == 1 && bursts.first?.members.count == 5)
            let alerts = try await Self.alerts(server)
            #expect(alerts.count == 1 && alerts.first?.recipient == "liqiang@example.com")
            let body = try #require(alerts.first?.body)
            #expect(numbers.allSatisfy { body.contains($0) } && body.contains("建议立为群诉事件"))
            #expect(alerts.first?.subject.hasPrefix("【疑似群诉】120 分钟内 5 件相似投诉") == true)

            // Looked at again, and one more alike joining: no second alert.
            #expect(try await watcher.pass().isEmpty)
            server.time.advance(by: 300)
            _ = try await server.createComplaint(["subject": "停电冰箱", "description": "停电后冰箱里的东西也坏了"])
            #expect(try await watcher.pass().isEmpty)
            #expect(try await Self.alerts(server).count == 1)
        }
    }

    static let leak = [
        "Water leaking from the ceiling after the storm", "Ceiling leaking water into the kitchen after the storm",
        "Storm water leaking through the bedroom ceiling", "Leaking ceiling after last night's storm",
        "After the storm water keeps leaking from our ceiling",
    ]

    @Test(
        "English complaints alike within the window are one burst; an alike one received before the window is not in it",
        arguments: DatabaseKind.available)
    func windowBoundsTheGroup(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            try await Self.configure(server)
            _ = try await server.createComplaint([
                "subject": "Ceiling leaking", "description": "Water leaking from the ceiling after the storm again",
            ])
            _ = try await server.services.bursts.pass()
            server.time.advance(by: 3 * 3600)
            for text in Self.leak {
                server.time.advance(by: 600)
                _ = try await server.createComplaint(["subject": String(text.prefix(20)), "description": text])
            }
            let bursts = try await server.services.bursts.pass()
            #expect(bursts.map(\.members.count) == [5])
        }
    }

    @Test(
        "More complaints than a batch arrived since the last pass: one pass catches up on all of them",
        arguments: DatabaseKind.available)
    func catchesUp(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            try await Self.configure(server)
            // The fifth alike one is the sixth to arrive, in the third batch of two.
            _ = try await server.createComplaint(["subject": "快递没到", "description": "快递五天了还没送到"])
            for text in Self.outage {
                server.time.advance(by: 60)
                _ = try await server.createComplaint(["subject": String(text.prefix(10)), "description": text])
            }
            let services = server.services
            var watcher = BurstWatcher(
                store: services.store, settings: services.settings, similar: services.similar, time: server.time)
            watcher.batch = 2
            #expect(try await watcher.pass().map(\.members.count) == [5])
            #expect(try await Self.alerts(server).count == 1)
            #expect(try await watcher.pass().isEmpty, "nothing left to look at")
        }
    }

    @Test("Alike complaints spread wider than the window are not a burst")
    func spread() async throws {
        try await withServer(.sqlite) { server in
            try await Self.configure(server)
            for text in Self.outage {
                server.time.advance(by: 3600)
                _ = try await server.createComplaint(["subject": String(text.prefix(10)), "description": text])
                _ = try await server.services.bursts.pass()
            }
            #expect(try await Self.alerts(server).isEmpty)
        }
    }

    @Test(
        "Two instances passing at once claim the batch once and report the burst once",
        arguments: DatabaseKind.available)
    func twoInstances(kind: DatabaseKind) async throws {
        try await withTwoInstances(kind) { first, second, time in
            for instance in [first, second] {
                var alerts = await instance.settings.alertPolicy()
                alerts.burst = BurstRule(count: 5, windowMinutes: 120, minimumScore: 0.3)
                try await instance.settings.save(alerts, by: .commandLine, section: "alerts", detail: "")
            }
            for (index, text) in Self.outage.enumerated() {
                time.advance(by: 600)
                let intake = Intake(
                    channel: .phone, customer: CustomerDetails(name: "住户\(index)", phone: "1390013\(7000 + index)"),
                    subject: String(text.prefix(10)), description: text)
                _ = try await (index.isMultiple(of: 2) ? first : second).complaints.create(intake, by: .system)
            }
            async let onFirst = first.bursts.pass()
            async let onSecond = second.bursts.pass()
            let (a, b) = try await (onFirst, onSecond)
            #expect(a.count + b.count == 1)
            #expect(a.isEmpty || b.isEmpty)
            #expect(try await first.store.bursts(since: .distantPast).map(\.members.count) == [5])
            // The batch is claimed: neither looks at it again.
            for instance in [first, second] { #expect(try await instance.bursts.pass().isEmpty) }
        }
    }
}
