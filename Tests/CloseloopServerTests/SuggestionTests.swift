import CloseloopCore
import CloseloopServer
import CloseloopStore
import CloseloopTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import SQLKit
import Testing

@_spi(Tools) @testable import CloseloopApp

/// The classification suggested for a new complaint from the company's own classified complaints (issue 14):
/// trained on command, recorded at intake, preselected on the supervisor's form, and the share kept counted.
@Suite("Classification suggestions")
struct SuggestionTests {
    struct SuggestionBody: Decodable {
        struct Value: Decodable {
            var target: String
            var value: String
            var confidence: Double
        }
        var values: [Value]
    }

    static let deliveryTexts = [
        "快递三天了还没到，物流信息一直不更新", "快递员把包裹放在门口就走了，包裹丢了", "物流太慢了，一周才送到",
        "快递把箱子压坏了，里面的东西碎了", "快递送错地址了，联系不上快递员", "包裹显示已签收但我没收到",
        "配送员态度很差，还让我自己下楼取快递", "物流停滞五天没有任何更新", "快递被别人冒领了，快递公司不管",
        "发货太慢，下单一周还没发货", "快递员不送上门，直接放驿站", "包裹外包装破损，商品缺件",
    ]
    static let repairTexts = [
        "空调安装后不制冷，师傅来了两次都没修好", "热水器漏水，售后一直不上门维修", "洗衣机保修期内坏了，售后要收费",
        "冰箱噪音很大，售后说是正常现象", "电视黑屏，送修一个月还没修好", "空调外机异响，维修师傅敷衍了事",
        "油烟机吸力很小，售后换了零件还是不行", "热水器加热很慢，售后检测说没问题", "洗碗机漏水，安装师傅没装好",
        "净水器滤芯刚换就漏水，售后推脱", "空调维修后又坏了，要求换新机", "燃气灶点不着火，售后三次上门没修好",
    ]

    /// Records and classifies the history: delivery complaints to logistics, repairs to after-sales.
    static func classifiedHistory(_ server: TestServer) async throws {
        for (texts, category, department, handler) in [
            (deliveryTexts, "delivery", "logistics", Staff.logisticsHandler),
            (repairTexts, "after_sales", "after_sales", Staff.handler),
        ] {
            for text in texts {
                let complaint = try await server.createComplaint([
                    "subject": String(text.prefix(12)), "description": text,
                ])
                _ = try await server.advancing(
                    complaint, to: "investigating",
                    assignment: ["category": category, "department": department, "handler": handler])
            }
        }
    }

    @Test(
        "Trained from classified complaints, a new one gets a suggestion the supervisor's form preselects",
        arguments: DatabaseKind.available)
    func suggestAndAccept(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let suggestions = server.services.suggestions
            #expect(try await suggestions.train(by: .commandLine) == nil, "nothing to learn from yet")
            try await Self.classifiedHistory(server)
            let model = try #require(try await suggestions.train(by: .commandLine))
            #expect(model.examples == 24 && model.classifiers[.category]?.labels == ["after_sales", "delivery"])

            let complaint = try await server.createComplaint([
                "subject": "快递丢件", "description": "快递显示签收了但是包裹没收到，快递员电话打不通",
            ])
            let recorded = try #require(try await suggestions.suggestion(for: ComplaintID(complaint.id)))
            #expect(recorded.suggestion[.category] == "delivery" && recorded.suggestion[.department] == "logistics")
            #expect((recorded.suggestion.values[.category]?.confidence ?? 0) > 0.5)
            let api = try await server.send(.get, "/complaints/\(complaint.number)/suggestion", as: Staff.supervisor)
                .expect(.ok, SuggestionBody.self)
            #expect(api.values.contains { $0.target == "category" && $0.value == "delivery" && $0.confidence > 0.5 })

            _ = try await server.perform("check-completeness", on: complaint, as: Staff.agent, ["complete": true])
            let validated = try await server.perform(
                "decide-validity", on: try await server.complaint(complaint.id, as: Staff.agent), as: Staff.agent,
                ["valid": true])
            let supervisor = WebBrowser(server)
            try await supervisor.signIn(Staff.supervisor)
            let page = try await supervisor.get("/complaints/\(complaint.number)")
            #expect(page.selected("category") == "delivery" && page.selected("department") == "logistics")
            #expect(page.contains("已按历史投诉预选"))

            // The supervisor keeps the category and sends it to after-sales instead.
            _ = try await server.perform(
                "assign", on: validated, as: Staff.supervisor,
                [
                    "category": "delivery", "priority": "P2", "severity": "dissatisfied", "department": "after_sales",
                    "owner": Staff.agent, "handler": Staff.handler,
                ])
            let now = server.time.instant()
            let acceptance = try await suggestions.acceptance(
                from: now.addingTimeInterval(-3600), to: now.addingTimeInterval(1))
            #expect(acceptance.suggested[.category] == 1 && acceptance.accepted[.category] == 1)
            #expect(acceptance.suggested[.department] == 1 && acceptance.accepted[.department] == 0)
            #expect(acceptance.rate(.category) == 1 && acceptance.rate(.department) == 0)
            let manager = WebBrowser(server)
            try await manager.signIn(Staff.generalManager)
            let dashboard = try await manager.get("/dashboard")
            #expect(dashboard.status == .ok)
            #expect(dashboard.contains("分类建议采纳率") && dashboard.contains("分类 1/1 条沿用建议 · 部门 0.0%"))
        }
    }

    @Test(
        "The suggestion is recorded with the complaint, once; a model that cannot be read never fails an intake",
        arguments: DatabaseKind.available)
    func recordedWithIntake(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            try await Self.classifiedHistory(server)
            _ = try #require(try await server.services.suggestions.train(by: .commandLine))
            let fields = ["subject": "快递丢件", "description": "包裹显示签收了但是没收到"]
            let first = try await server.send(
                .post, "/complaints", as: Staff.agent, json: TestServer.complaintFields(fields),
                headers: [TestServer.idempotencyKey: "suggested-once"])
            #expect(first.status == .created)
            let replay = try await server.send(
                .post, "/complaints", as: Staff.agent, json: TestServer.complaintFields(fields),
                headers: [TestServer.idempotencyKey: "suggested-once"])
            #expect(replay.status == .ok || replay.status == .created)
            #expect(
                try await server.services.store.count("complaint_suggestions") == 1,
                "one suggestion for the complaint and its replay")

            // Another instance stored a model this one cannot read; the next check (a minute on) finds it.
            try await server.services.store.execute(
                "UPDATE classification_models SET body = '{', trained_at = trained_at + 1")
            server.time.advance(by: 61)
            let taken = try await server.createComplaint(fields)
            #expect(try await server.services.suggestions.suggestion(for: ComplaintID(taken.id)) == nil)
        }
    }

    @Test(
        "The schedule trains only a due model, and a model another process trained is taken at once",
        arguments: DatabaseKind.available)
    func scheduledAndReloaded(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let suggestions = server.services.suggestions
            #expect(try await !suggestions.trainingDue(olderThan: 86_400), "too few classified complaints")
            try await Self.classifiedHistory(server)
            #expect(try await suggestions.trainingDue(olderThan: 86_400), "no model yet")
            let first = try #require(try await suggestions.trainIfOlder(than: 86_400))
            #expect(try await !suggestions.trainingDue(olderThan: 86_400))
            #expect(try await suggestions.trainIfOlder(than: 86_400) == nil)
            server.time.advance(by: 86_401)
            #expect(try await suggestions.trainingDue(olderThan: 86_400), "a day old")
            #expect(try await suggestions.reload() == nil, "the stored model is the one held")

            // What a training child does: a newer model stored by another process, which this one reads at once
            // rather than within the minute.
            let newer = ClassificationModel(
                examples: try await server.services.store.classificationExamples(limit: 100),
                at: server.time.instant())
            try await server.services.store.saveClassificationModel(newer)
            let taken = try #require(try await suggestions.reload())
            let milliseconds = { (date: Date) in (date.timeIntervalSince1970 * 1000).rounded() }
            #expect(milliseconds(taken.trainedAt) == milliseconds(newer.trainedAt) && taken.trainedAt > first.trainedAt)
            #expect(try await suggestions.reload() == nil)
            #expect(try await !suggestions.trainingDue(olderThan: 86_400))
        }
    }

    @Test(
        "While another instance trains, the schedule here leaves the model to it; a claim that runs out is taken over",
        arguments: DatabaseKind.available)
    func oneInstanceTrainsAtATime(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let suggestions = server.services.suggestions
            let store = server.services.store
            try await Self.classifiedHistory(server)
            // What another instance's schedule stores when it starts training: its claim, until an hour from now.
            let now = server.time.instant()
            let claimedUntil = Int64((now.timeIntervalSince1970 + ClassificationSuggestions.trainingClaim) * 1000)
            #expect(
                try await store.replaceSetting(
                    ClassificationSuggestions.claimKey, expected: Int64?.none, with: claimedUntil, at: now))
            #expect(try await !suggestions.trainingDue(olderThan: 86_400), "claimed by the other instance")
            #expect(try await suggestions.trainIfOlder(than: 86_400) == nil)
            #expect(try await store.classificationModelTrainedAt() == nil, "nothing trained here meanwhile")

            // The other instance died mid-training: once its claim runs out, this one trains, and lets go after.
            server.time.advance(by: ClassificationSuggestions.trainingClaim + 1)
            #expect(try await suggestions.trainingDue(olderThan: 86_400))
            let model = try #require(try await suggestions.trainIfOlder(than: 86_400))
            #expect(try await store.classificationModelTrainedAt() != nil && model.examples >= 20)
            let released = try #require(try await store.setting(ClassificationSuggestions.claimKey, as: Int64.self))
            #expect(released <= Int64((server.time.instant().timeIntervalSince1970 * 1000).rounded()))
            #expect(try await store.auditEntries().filter { $0.action == "suggestions.train" }.count == 1)
        }
    }

    @Test("Without a model a complaint is taken as always, with nothing suggested")
    func archiveAndNoModel() async throws {
        try await withServer(.sqlite) { server in
            let complaint = try await server.createComplaint()
            #expect(try await server.services.suggestions.suggestion(for: ComplaintID(complaint.id)) == nil)
            let api = try await server.send(.get, "/complaints/\(complaint.id)/suggestion", as: Staff.supervisor)
            #expect(api.status == .notFound)
        }
    }
}
