import CloseloopCore
import CloseloopStore
import CloseloopTestSupport
import Foundation
import Testing

/// Queues and the API's list: filters over the complaint row's columns and keyset pagination.
@Suite("Listing complaints")
struct ListTests {
    typealias F = StoreFixtures

    /// Seven complaints over four days, in four states, three priorities, two departments and two owners; two pairs
    /// were received at the same instant so the pagination must break ties.
    struct Seven {
        var records: [String: ComplaintRecord]

        func id(_ name: String) -> ComplaintID { records[name]!.complaint.id }
        func names(_ page: [ComplaintRecord]) -> Set<String> {
            Set(page.compactMap { record in records.first { $0.value.complaint.id == record.complaint.id }?.key })
        }
    }

    func seedSeven(_ store: SQLStore) async throws -> Seven {
        let desk = ComplaintDesk(store: store)
        func receive(_ at: String, phone: String, priority: Priority = .p2) async throws -> ComplaintID {
            try await desk.receive(F.intake(phone: phone, priority: priority), at: F.instant(at)).record.complaint.id
        }
        let c1 = try await receive("2026-04-13T09:00:00+08:00", phone: "13800138000")
        let c2 = try await receive("2026-04-13T09:00:00+08:00", phone: "+86 139 0000 1111")
        let c3 = try await receive("2026-04-13T14:00:00+08:00", phone: "13700000003")
        let c4 = try await receive("2026-04-14T10:00:00+08:00", phone: "13700000004")
        let c5 = try await receive("2026-04-14T10:00:00+08:00", phone: "13700000005")
        let c6 = try await receive("2026-04-15T11:00:00+08:00", phone: "+86 138-0013-8000", priority: .p0)
        let c7 = try await receive("2026-04-16T16:00:00+08:00", phone: "13700000007")

        try await desk.validate(c2, at: F.instant("2026-04-13T09:10:00+08:00"))
        try await desk.assign(
            c3, F.assignment(priority: .p1, department: F.afterSales, owner: F.agent.id),
            at: F.instant("2026-04-13T14:10:00+08:00"))
        try await desk.assign(
            c4, F.assignment(priority: .p0, department: F.logistics, owner: F.otherAgent.id),
            at: F.instant("2026-04-14T10:10:00+08:00"))
        try await desk.assign(
            c5, F.assignment(priority: .p2, department: F.afterSales, owner: F.otherAgent.id),
            at: F.instant("2026-04-14T10:20:00+08:00"))
        try await desk.validate(c7, at: F.instant("2026-04-16T16:10:00+08:00"))

        var records: [String: ComplaintRecord] = [:]
        for (name, id) in [("c1", c1), ("c2", c2), ("c3", c3), ("c4", c4), ("c5", c5), ("c6", c6), ("c7", c7)] {
            let record = try #require(try await store.record(id: id))
            records[name] = record
        }
        return Seven(records: records)
    }

    /// One filter and the complaints it keeps.
    struct Filter: Sendable, CustomTestStringConvertible {
        var name: String
        var apply: @Sendable (inout ComplaintQuery) -> Void
        var keeps: Set<String>
        var testDescription: String { name }
    }

    static let filters: [Filter] = [
        Filter(name: "no filter", apply: { _ in }, keeps: ["c1", "c2", "c3", "c4", "c5", "c6", "c7"]),
        Filter(name: "state received", apply: { $0.states = [.received] }, keeps: ["c1", "c6"]),
        Filter(
            name: "states validated or investigating", apply: { $0.states = [.validated, .investigating] },
            keeps: ["c2", "c3", "c4", "c5", "c7"]),
        Filter(name: "state closed", apply: { $0.states = [.closed] }, keeps: []),
        Filter(name: "priority P0", apply: { $0.priorities = [.p0] }, keeps: ["c4", "c6"]),
        Filter(name: "priorities P1 or P0", apply: { $0.priorities = [.p1, .p0] }, keeps: ["c3", "c4", "c6"]),
        Filter(name: "department after-sales", apply: { $0.department = F.afterSales }, keeps: ["c3", "c5"]),
        Filter(name: "owner 周敏", apply: { $0.owner = F.otherAgent.id }, keeps: ["c4", "c5"]),
        Filter(
            name: "after-sales owned by 周敏",
            apply: {
                $0.department = F.afterSales
                $0.owner = F.otherAgent.id
            }, keeps: ["c5"]),
        Filter(
            name: "received from Tuesday, before Thursday",
            apply: {
                $0.receivedFrom = F.instant("2026-04-14T00:00:00+08:00")
                $0.receivedBefore = F.instant("2026-04-16T00:00:00+08:00")
            }, keeps: ["c4", "c5", "c6"]),
        Filter(
            name: "received from an exact receipt instant (inclusive)",
            apply: { $0.receivedFrom = F.instant("2026-04-14T10:00:00+08:00") }, keeps: ["c4", "c5", "c6", "c7"]),
        Filter(
            name: "received before an exact receipt instant (exclusive)",
            apply: { $0.receivedBefore = F.instant("2026-04-14T10:00:00+08:00") }, keeps: ["c1", "c2", "c3"]),
        Filter(
            name: "phone typed with +86 and dashes", apply: { $0.customerPhone = "+86 138-0013-8000" },
            keeps: ["c1", "c6"]),
        Filter(name: "phone typed as stored", apply: { $0.customerPhone = "13900001111" }, keeps: ["c2"]),
        Filter(name: "phone typed with spaces", apply: { $0.customerPhone = "139 0000 1111" }, keeps: ["c2"]),
        Filter(name: "unknown phone", apply: { $0.customerPhone = "13111111111" }, keeps: []),
    ]

    @Test("each filter keeps exactly its complaints", arguments: DatabaseKind.available, filters)
    func filter(kind: DatabaseKind, filter: Filter) async throws {
        try await withStore(kind) { store in
            let seven = try await seedSeven(store)
            var query = ComplaintQuery()
            filter.apply(&query)
            let page = try await store.list(query)
            #expect(seven.names(page.records) == filter.keeps)
            #expect(page.records.count == filter.keeps.count)
            #expect(page.nextCursor == nil)
            // Records come back as stored.
            for record in page.records { #expect(seven.records.values.contains(record)) }
        }
    }

    @Test("dueBefore keeps the complaints whose next deadline is earlier", arguments: DatabaseKind.available)
    func dueBefore(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            let seven = try await seedSeven(store)
            let deadlines = Set(seven.records.values.compactMap(\.nextDueAt)).sorted()
            try #require(deadlines.count >= 3)
            for threshold in [deadlines[0], deadlines[deadlines.count / 2], deadlines[deadlines.count - 1]] {
                let expected = Set(seven.records.filter { ($0.value.nextDueAt ?? .distantFuture) < threshold }.keys)
                var query = ComplaintQuery()
                query.dueBefore = threshold
                #expect(seven.names(try await store.list(query).records) == expected, "before \(threshold)")
            }
            var everything = ComplaintQuery()
            everything.dueBefore = deadlines[deadlines.count - 1].addingTimeInterval(1)
            #expect(try await store.list(everything).records.count == 7)
        }
    }

    @Test(
        "pages of three cover all seven complaints once, in order",
        arguments: DatabaseKind.available, ComplaintQuery.Order.allCases)
    func pagination(kind: DatabaseKind, order: ComplaintQuery.Order) async throws {
        try await withStore(kind) { store in
            let seven = try await seedSeven(store)
            var query = ComplaintQuery()
            query.order = order
            query.limit = 200
            let whole = try await store.list(query).records
            #expect(whole.count == 7)

            query.limit = 3
            var pages: [[ComplaintRecord]] = []
            var cursors: [String?] = []
            repeat {
                let page = try await store.list(query)
                pages.append(page.records)
                cursors.append(page.nextCursor)
                query.cursor = page.nextCursor
            } while query.cursor != nil && pages.count < 10
            #expect(pages.map(\.count) == [3, 3, 1])
            #expect(cursors.map { $0 == nil } == [false, false, true])
            let paged = pages.flatMap { $0 }
            #expect(paged.map(\.complaint.id) == whole.map(\.complaint.id))
            #expect(Set(paged.map(\.complaint.id)).count == 7)
            #expect(seven.names(paged) == Set(seven.records.keys))

            // The order itself: newest first, or nearest deadline first.
            switch order {
            case .received:
                let instants = paged.map(\.complaint.receivedAt)
                #expect(zip(instants, instants.dropFirst()).allSatisfy { $0 >= $1 })
            case .due:
                let deadlines = paged.map { $0.nextDueAt ?? .distantFuture }
                #expect(zip(deadlines, deadlines.dropFirst()).allSatisfy { $0 <= $1 })
            }
        }
    }

    @Test("a page that ends exactly at the last complaint has no next cursor", arguments: DatabaseKind.available)
    func exactLastPage(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            _ = try await seedSeven(store)
            var query = ComplaintQuery()
            query.limit = 7
            let page = try await store.list(query)
            #expect(page.records.count == 7)
            #expect(page.nextCursor == nil)
        }
    }

    @Test("pagination keeps its filter", arguments: DatabaseKind.available)
    func paginationWithFilter(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            let seven = try await seedSeven(store)
            var query = ComplaintQuery()
            query.states = [.validated, .investigating]
            query.limit = 2
            var seen: [ComplaintRecord] = []
            repeat {
                let page = try await store.list(query)
                seen += page.records
                query.cursor = page.nextCursor
            } while query.cursor != nil && seen.count < 20
            #expect(seen.count == 5)
            #expect(seven.names(seen) == ["c2", "c3", "c4", "c5", "c7"])
        }
    }
}
