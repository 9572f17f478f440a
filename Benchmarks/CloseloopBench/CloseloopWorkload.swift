import CloseloopApp
import CloseloopCore
import Foundation
import NIOHTTP1

/// The HTTP workloads against a running Closeloop: intake, the staff queue, a complaint page, full-text search.
struct CloseloopWorkload: Sendable {
    let baseURL: String
    let token: String
    let corpus: Corpus
    /// Ids of loaded complaints, for the page and get workloads.
    let sampleIDs: [String]
    let departments: [String]
    let seed: UInt64

    /// What `createComplaint` takes (OpenAPI `NewComplaint`).
    struct NewComplaint: Encodable {
        struct Customer: Encodable {
            var name: String
            var phone: String?
            var email: String?
        }

        var channel: String
        var customer: Customer
        var subject: String
        var description: String
        var product: String?
        var remedies: [String]
        var priority: String
        var severity: String
    }

    private var authorization: (String, String) { ("authorization", "Bearer \(token)") }

    /// One operation of a workload, for `LoadPhase`.
    func operation(_ kind: WorkloadKind, session: HTTPSession) -> @Sendable (Int, Int) async -> String? {
        switch kind {
        case .intake, .intakeTwoInstances: { _, index in await create(index, session: session) }
        case .queue: { _, index in await queue(index, full: false, session: session) }
        case .queueFull: { _, index in await queue(index, full: true, session: session) }
        case .get: { _, index in await get(index, withHistory: false, session: session) }
        case .page: { _, index in await get(index, withHistory: true, session: session) }
        case .searchChinese: { _, index in await search(index, chinese: true, full: false, session: session) }
        case .searchEnglish: { _, index in await search(index, chinese: false, full: false, session: session) }
        case .searchChineseFull: { _, index in await search(index, chinese: true, full: true, session: session) }
        case .searchEnglishFull: { _, index in await search(index, chinese: false, full: true, session: session) }
        }
    }

    private func create(_ index: Int, session: HTTPSession) async -> String? {
        var random = SeededRandom(seed: seed &+ 99, index: index)
        let text = corpus.text(using: &random)
        let chinese = text.language == .chinese
        let body = NewComplaint(
            channel: ["phone", "web", "im", "email"].randomElement(using: &random)!,
            customer: .init(
                name: chinese ? Organisation.chineseName(using: &random) : "Bench Customer",
                phone: "139\(String(format: "%08d", Int.random(in: 0..<100_000_000, using: &random)))",
                email: chinese ? nil : "customer\(index)@example.com"),
            subject: text.subject, description: text.description, product: text.product,
            remedies: [["repair"], ["refund"], ["apology"], []].randomElement(using: &random)!,
            priority: random.weighted([("P0", 3), ("P1", 22), ("P2", 75)]),
            severity: random.weighted([("dissatisfied", 60), ("very_dissatisfied", 30), ("major", 10)]))
        do {
            let data = try JSONEncoder().encode(body)
            let answer = try await session.send(
                .POST, "\(baseURL)/api/v1/complaints",
                headers: [
                    authorization, ("content-type", "application/json"),
                    ("idempotency-key", "bench-\(UUID().uuidString)"),
                ], body: data)
            return answer.status == 201
                ? nil : "create: HTTP \(answer.status) \(String(decoding: answer.body.prefix(200), as: UTF8.self))"
        } catch {
            return "create: \(error)"
        }
    }

    /// A department's open complaints, nearest deadline first, 50 rows: what a handler's queue shows. `full` asks
    /// for each complaint whole, as every list answered before lists gave summaries (the A/B's "before").
    private func queue(_ index: Int, full: Bool, session: HTTPSession) async -> String? {
        let department = departments[index % departments.count]
        return await fetch(
            "\(baseURL)/api/v1/complaints?department=\(department)&sort=due&limit=50" + (full ? "&view=full" : ""),
            session)
    }

    /// A complaint (and, for its page, its history).
    private func get(_ index: Int, withHistory: Bool, session: HTTPSession) async -> String? {
        var random = SeededRandom(seed: seed &+ 7, index: index)
        let id = sampleIDs[Int.random(in: 0..<sampleIDs.count, using: &random)]
        if let failure = await fetch("\(baseURL)/api/v1/complaints/\(id)", session) { return failure }
        return withHistory ? await fetch("\(baseURL)/api/v1/complaints/\(id)/history", session) : nil
    }

    private func search(_ index: Int, chinese: Bool, full: Bool, session: HTTPSession) async -> String? {
        let term = SearchTerm.pick(index, chinese: chinese, corpus: corpus, seed: seed)
        let query = term.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? term
        return await fetch("\(baseURL)/api/v1/complaints?q=\(query)&limit=50" + (full ? "&view=full" : ""), session)
    }

    private func fetch(_ url: String, _ session: HTTPSession) async -> String? {
        do {
            let answer = try await session.send(.GET, url, headers: [authorization])
            return answer.status == 200 ? nil : "GET \(url): HTTP \(answer.status)"
        } catch {
            return "GET \(url): \(error)"
        }
    }
}

/// The workloads, named as they appear in the results.
enum WorkloadKind: String, CaseIterable, Sendable {
    case intake
    /// Intake with the clients' requests alternating between two servers on one PostgreSQL database.
    case intakeTwoInstances = "intake, 2 instances"
    case queue = "queue view"
    case get = "get by id"
    case page = "complaint page"
    case searchChinese = "search zh"
    case searchEnglish = "search en"
    /// The same lists with every complaint whole (`view=full`), as lists answered before summaries.
    case queueFull = "queue view, full"
    case searchChineseFull = "search zh, full"
    case searchEnglishFull = "search en, full"

    /// The summary list a `view=full` workload is the "before" of.
    var summaryOf: WorkloadKind? {
        switch self {
        case .queueFull: .queue
        case .searchChineseFull: .searchChinese
        case .searchEnglishFull: .searchEnglish
        default: nil
        }
    }
}

/// The search term of request `index`: the same sequence for Closeloop and RT.
enum SearchTerm {
    static func pick(_ index: Int, chinese: Bool, corpus: Corpus, seed: UInt64) -> String {
        var random = SeededRandom(seed: seed &+ (chinese ? 11 : 13), index: index)
        let terms = chinese ? corpus.chineseTerms : corpus.englishTerms
        return terms[Int.random(in: 0..<terms.count, using: &random)]
    }
}
