import CSV
import CloseloopCore
import CloseloopStore
import CloseloopTestSupport
import Foundation
import SQLKit
import Testing

/// Full-text search over subject and description, Chinese and English, through `ComplaintQuery.text`.
@Suite("Search")
struct SearchTests {
    typealias F = StoreFixtures

    /// The complaints searched, by a short name.
    static let corpus: [(name: String, subject: String, description: String)] = [
        ("aircon", "空调安装后漏水", "空调安装后漏水，客服一直不回复"),
        ("refund", "退款申请提交两周还没到账", "申请退款后两周还没到账，订单号 SO-2026-0413"),
        ("refundAmount", "退款金额不对", "只退了一半的钱"),
        ("parcel", "The courier left the parcel in the rain", "The box was soaked and the book inside is ruined."),
        ("coupon", "满100%返现活动没兑现", "页面写着 100%_返现，结果只返了 10 元"),
        ("compensation", "赔偿1000元迟迟不到", "说好赔偿1000元，至今没有消息"),
    ]

    /// A search and the complaints it must find, exactly.
    struct Case: Sendable, CustomTestStringConvertible {
        var text: String
        var finds: Set<String>
        var why: String
        var testDescription: String { "\"\(text)\" (\(why))" }
    }

    static let cases: [Case] = [
        Case(text: "漏水", finds: ["aircon"], why: "two Chinese characters"),
        Case(text: "不回复", finds: ["aircon"], why: "three Chinese characters, in the description only"),
        Case(text: "退款", finds: ["refund", "refundAmount"], why: "a term in two complaints"),
        Case(text: "退款 到账", finds: ["refund"], why: "two terms, both must match"),
        Case(text: "漏水 不回复", finds: ["aircon"], why: "a short and a long term together"),
        Case(text: "退款 漏水", finds: [], why: "two terms never in one complaint"),
        Case(text: "parcel", finds: ["parcel"], why: "an English word"),
        Case(text: "PARCEL", finds: ["parcel"], why: "case does not matter"),
        Case(text: "Soaked", finds: ["parcel"], why: "an English word of the description"),
        Case(text: "100%", finds: ["coupon"], why: "% is literal, not a wildcard matching 1000"),
        Case(text: "%", finds: ["coupon"], why: "a lone % matches only a literal %"),
        Case(text: "_", finds: ["coupon"], why: "a lone _ matches only a literal _"),
        Case(text: "0%_", finds: ["coupon"], why: "% and _ literal in a trigram-length term"),
        Case(text: "10_0", finds: [], why: "_ is literal, not a wildcard matching 1000"),
        Case(text: "漏_", finds: [], why: "_ is literal, not a wildcard matching 漏水"),
        Case(text: "赔%元", finds: [], why: "% is literal, not a wildcard matching 赔偿1000元"),
        Case(text: "地震", finds: [], why: "a term that matches nothing"),
        Case(text: "款后", finds: ["refund"], why: "two characters spanning two words are still adjacent"),
        Case(text: "金额", finds: ["refundAmount"], why: "two characters found through the pair index"),
        Case(text: "退", finds: ["refund", "refundAmount"], why: "a single character falls back to a scan"),
        Case(text: "earthquake", finds: [], why: "an English term that matches nothing"),
    ]

    @Test("search finds exactly the complaints containing every term", arguments: DatabaseKind.available, cases)
    func search(kind: DatabaseKind, searchCase: Case) async throws {
        try await withStore(kind) { store in
            let desk = ComplaintDesk(store: store)
            var names: [ComplaintID: String] = [:]
            for (offset, item) in Self.corpus.enumerated() {
                let record = try await desk.receive(
                    F.intake(subject: item.subject, description: item.description),
                    at: F.mondayMorning.addingTimeInterval(Double(offset) * 60)
                ).record
                names[record.complaint.id] = item.name
            }
            var query = ComplaintQuery()
            query.text = searchCase.text
            let page = try await store.list(query)
            #expect(Set(page.records.compactMap { names[$0.complaint.id] }) == searchCase.finds)
            #expect(page.records.count == searchCase.finds.count)
            #expect(page.nextCursor == nil)

            // A common term walks the received-at index instead of fetching every match (SQLite; PostgreSQL's planner
            // chooses for itself): the same complaints come back in the same order, page by page.
            var walking = store
            walking.searchFetchEachMatchUpTo = 0
            walking.searchWindowsFrom = 0  // PostgreSQL: the walk of the newest and the week windows
            #expect(try await walking.list(query).records.map(\.complaint.id) == page.records.map(\.complaint.id))
            query.limit = 1
            var paged: [ComplaintID] = []
            while true {
                let one = try await walking.list(query)
                paged += one.records.map(\.complaint.id)
                guard let next = one.nextCursor, paged.count <= page.records.count else { break }
                query.cursor = next
            }
            #expect(paged == page.records.map(\.complaint.id))
        }
    }

    @Test(
        "a newest-first search pages through matches weeks and months apart, read window by window",
        arguments: DatabaseKind.available)
    func searchAcrossWeeks(kind: DatabaseKind) async throws {
        try await withStore(kind) { base in
            var store = base
            store.searchWindowsFrom = 0
            // PostgreSQL walks only the newest two, so that the later pages come from its windows.
            store.searchWalk = 2
            let desk = ComplaintDesk(store: store)
            var matches: [ComplaintID] = []
            // Today, this week, last week, five weeks, eleven weeks and a year ago, with others between them: each of
            // PostgreSQL's windows (two, eight, twenty-six weeks, then all) is too small for some page.
            for (index, days) in [0.0, 2, 10, 40, 80, 400].enumerated() {
                let instant = F.mondayMorning.addingTimeInterval(-days * 86_400)
                matches.append(
                    try await desk.receive(
                        F.intake(subject: "冰箱漏水 第\(index + 1)次", description: "冷藏室底部一直在漏水"), at: instant
                    ).record.complaint.id)
                _ = try await desk.receive(
                    F.intake(subject: "空调不制冷", description: "开机半小时仍然不制冷"), at: instant.addingTimeInterval(-30))
            }
            // Matched in the search table, and two characters matched in the complaints' own pairs.
            for text in ["冰箱漏水", "漏水"] {
                for size in 1...4 {
                    var query = ComplaintQuery()
                    query.text = text
                    query.limit = size
                    var paged: [ComplaintID] = []
                    while true {
                        let page = try await store.summaries(query)
                        paged += page.summaries.map(\.id)
                        guard let next = page.nextCursor, paged.count <= matches.count else { break }
                        query.cursor = next
                    }
                    #expect(paged == matches, "\(text), pages of \(size)")
                }
            }
        }
    }

    @Test(
        "a complaint whose text is changed is found by its new text only",
        arguments: DatabaseKind.available)
    func searchFollowsEdits(kind: DatabaseKind) async throws {
        try await withStore(kind) { base in
            var store = base
            store.searchWindowsFrom = 0
            let desk = ComplaintDesk(store: store)
            let kept = try await desk.receive(
                F.intake(subject: "洗衣机脱水异响", description: "脱水时声音很大"), at: F.mondayMorning
            ).record.complaint.id
            let other = try await desk.receive(
                F.intake(subject: "洗衣机进水很慢", description: "进水要半小时"), at: F.mondayMorning.addingTimeInterval(60)
            ).record.complaint.id
            func found(_ text: String) async throws -> [ComplaintID] {
                var query = ComplaintQuery()
                query.text = text
                return try await store.summaries(query).summaries.map(\.id)
            }
            #expect(try await found("洗衣机") == [other, kept])
            try await store.database.transaction { db in
                try await db.raw("UPDATE complaints SET subject = 'Dryer DRUM noise' WHERE id = \(bind: kept.rawValue)")
                    .run()
            }
            #expect(try await found("洗衣机") == [other])
            #expect(try await found("drum") == [kept], "the new subject, whatever its case")
            #expect(try await found("脱水时") == [kept], "the description as it was")
        }
    }

    @Test("search combines with the other filters", arguments: DatabaseKind.available)
    func searchWithFilters(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            let desk = ComplaintDesk(store: store)
            let refund = try await desk.receive(
                F.intake(subject: "退款申请提交两周还没到账", description: "申请退款后两周还没到账"), at: F.mondayMorning
            ).record.complaint.id
            let other = try await desk.receive(
                F.intake(subject: "退款金额不对", description: "只退了一半的钱"), at: F.mondayMorning.addingTimeInterval(60)
            ).record.complaint.id
            try await desk.validate(other, at: F.mondayMorning.addingTimeInterval(120))
            var query = ComplaintQuery()
            query.text = "退款"
            query.states = [.validated]
            #expect(try await store.list(query).records.map(\.complaint.id) == [other])
            query.states = [.received]
            #expect(try await store.list(query).records.map(\.complaint.id) == [refund])
        }
    }

    @Test(
        "complaints from before the pair index are found by two characters once filled",
        arguments: DatabaseKind.available)
    func fillMissingBigrams(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            let desk = ComplaintDesk(store: store)
            let refund = try await desk.receive(
                F.intake(subject: "退款申请提交两周还没到账", description: "申请退款后两周还没到账"), at: F.mondayMorning
            ).record.complaint.id
            // As written before migration 8.
            try await store.database.transaction { db in
                try await db.raw("UPDATE complaints SET bigrams = NULL").run()
            }
            var query = ComplaintQuery()
            query.text = "退款"
            #expect(try await store.list(query).records.isEmpty)
            #expect(try await store.fillMissingBigrams() == 1)
            #expect(try await store.list(query).records.map(\.complaint.id) == [refund])
            #expect(try await store.fillMissingBigrams() == 0)
        }
    }

    @Test("the pair index holds each pair of adjacent Chinese characters once, and nothing else")
    func bigrams() {
        #expect(SearchTerms.bigrams(of: "退款退款 A款 快递员") == "退款 款退 快递 递员")
        #expect(SearchTerms.bigrams(of: "refund 2 weeks") == "")
    }

    // MARK: Real complaints

    /// Real complaint texts from the shared data folder, and a term to look for in them.
    struct RealTexts: Sendable, CustomTestStringConvertible {
        var file: String
        var column: String
        var term: String
        var testDescription: String { "\(file): \"\(term)\"" }
    }

    static let realTexts: [RealTexts] = [
        RealTexts(file: "car_complaints_12365auto_zh.csv", column: "text", term: "变速箱"),
        RealTexts(file: "car_complaints_12365auto_zh.csv", column: "text", term: "异响"),
        RealTexts(file: "comcast_complaints_en.csv", column: "text", term: "INTERNET"),
    ]

    @Test(
        "real complaints are found by a word they contain", .enabled(if: SharedData.folder != nil, "no shared/data"),
        arguments: DatabaseKind.available, realTexts)
    func realComplaints(kind: DatabaseKind, real: RealTexts) async throws {
        let folder = try #require(SharedData.folder)
        let texts = try SharedData.column(real.column, of: folder.appendingPathComponent(real.file), rows: 60)
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
            .map { String($0.prefix(Intake.Limits.subject)) }
        let expected = Set(texts.indices.filter { texts[$0].localizedCaseInsensitiveContains(real.term) })
        try #require(!expected.isEmpty, "the first rows of \(real.file) never mention \(real.term)")
        try #require(expected.count < texts.count)

        try await withStore(kind) { store in
            let desk = ComplaintDesk(store: store)
            var rows: [ComplaintID: Int] = [:]
            for (row, text) in texts.enumerated() {
                let record = try await desk.receive(
                    F.intake(subject: text, description: text), at: F.mondayMorning.addingTimeInterval(Double(row) * 60)
                ).record
                rows[record.complaint.id] = row
            }
            var query = ComplaintQuery()
            query.text = real.term
            query.limit = 200
            let found = try await store.list(query).records.compactMap { rows[$0.complaint.id] }
            #expect(Set(found) == expected)
        }
    }
}

/// The real complaint texts of `shared/data`, read at test time and never copied into the repository.
enum SharedData {
    /// `CLOSELOOP_SHARED_DATA`, or `shared/data` beside the repository.
    static var folder: URL? {
        var candidates: [URL] = []
        if let configured = ProcessInfo.processInfo.environment["CLOSELOOP_SHARED_DATA"] {
            candidates.append(URL(fileURLWithPath: configured))
        }
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        candidates.append(repository.deletingLastPathComponent().appendingPathComponent("shared/data"))
        candidates.append(repository.appendingPathComponent("shared/data"))
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("README.md").path) }
    }

    /// The values of `column` in the first `rows` records of a CSV file with a header line.
    static func column(_ column: String, of file: URL, rows: Int) throws -> [String] {
        // Read whole: the package's stream reader reports an error at the end of a file on Linux.
        let reader = try CSVReader(string: try String(contentsOf: file, encoding: .utf8), hasHeaderRow: true)
        guard let index = reader.headerRow?.firstIndex(of: column) else { return [] }
        var values: [String] = []
        while values.count < rows, let record = reader.next() {
            if record.indices.contains(index) { values.append(record[index]) }
        }
        return values
    }
}
