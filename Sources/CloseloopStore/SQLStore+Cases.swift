import CloseloopCore
import Foundation
import SQLKit

/// What the case library lists: a status, a category, a product, words in the text.
public struct CaseQuery: Sendable, Hashable {
    public var statuses: [CaseStudy.Status] = [.published]
    public var category: String?
    public var product: String?
    /// Words that must all appear (in the title, tags or write-up), case aside; Chinese is matched as written.
    public var text: String?
    public var limit = 50
    public var offset = 0

    public init() {}
}

extension SQLStore {
    /// Inserts or replaces a case (one per complaint).
    static func save(_ study: CaseStudy, on db: any SQLDatabase) async throws {
        let search = [
            study.title, study.tags.joined(separator: " "), study.cause, study.handling, study.lesson,
            study.prevention, study.product ?? "", study.number,
        ].joined(separator: "\n").lowercased()
        try await db.raw(
            """
            INSERT INTO cases (complaint_id, number, title, category, product, tags, cause, handling, lesson, prevention,
                status, written_by, written_at, updated_at, published_by, published_at, search_text)
            VALUES (\(bind: study.complaintID.rawValue), \(bind: study.number), \(bind: study.title),
                \(bind: study.category), \(bind: study.product), \(bind: study.tags.joined(separator: "\n")),
                \(bind: study.cause), \(bind: study.handling), \(bind: study.lesson), \(bind: study.prevention),
                \(bind: study.status.rawValue), \(bind: study.writtenBy.rawValue),
                \(bind: Timestamp.milliseconds(study.writtenAt)), \(bind: Timestamp.milliseconds(study.updatedAt)),
                \(bind: study.publishedBy?.rawValue), \(bind: study.publishedAt.map(Timestamp.milliseconds)),
                \(bind: search))
            ON CONFLICT (complaint_id) DO UPDATE SET title = excluded.title, category = excluded.category,
                product = excluded.product, tags = excluded.tags, cause = excluded.cause,
                handling = excluded.handling, lesson = excluded.lesson, prevention = excluded.prevention,
                status = excluded.status, updated_at = excluded.updated_at, published_by = excluded.published_by,
                published_at = excluded.published_at, search_text = excluded.search_text
            """
        ).run()
    }

    /// Saves a case outside a complaint's change (a reviewer's edit, publishing, withdrawing).
    public func save(_ study: CaseStudy) async throws {
        try await database.transaction { db in try await Self.save(study, on: db) }
    }

    /// The case written on a complaint, if any, by the complaint's id or number.
    public func caseStudy(_ idOrNumber: String) async throws -> CaseStudy? {
        try await database.read { db in
            try await db.select().column("*").from("cases")
                .where("complaint_id", .equal, idOrNumber).orWhere("number", .equal, idOrNumber)
                .first().map(Self.decodeCase)
        }
    }

    /// A page of cases, newest first, and whether more follow.
    public func caseStudies(_ query: CaseQuery) async throws -> (cases: [CaseStudy], more: Bool) {
        let limit = min(max(query.limit, 1), 200)
        let rows = try await database.read { db in
            let select = db.select().column("*").from("cases")
            if !query.statuses.isEmpty { select.where("status", .in, query.statuses.map(\.rawValue)) }
            if let category = query.category { select.where("category", .equal, category) }
            if let product = query.product { select.where("product", .equal, product) }
            for word in (query.text ?? "").lowercased().split(whereSeparator: \.isWhitespace).prefix(8) {
                let escaped = word.replacingOccurrences(of: "\\", with: "\\\\")
                    .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
                select.where(SQLQueryString("search_text LIKE \(bind: "%" + escaped + "%") ESCAPE '\\'"))
            }
            return try await select.orderBy("updated_at", .descending).orderBy("complaint_id", .descending)
                .limit(limit + 1).offset(max(query.offset, 0)).all().map(Self.decodeCase)
        }
        return (Array(rows.prefix(limit)), rows.count > limit)
    }

    /// The categories and products of the published cases, for the library's filters.
    public func caseFacets() async throws -> (categories: [String], products: [String]) {
        try await database.read { db in
            let categories = try await db.raw(
                "SELECT DISTINCT category FROM cases WHERE status = 'published' AND category IS NOT NULL ORDER BY category"
            ).all().map { try $0.decode(column: "category", as: String.self) }
            let products = try await db.raw(
                "SELECT DISTINCT product FROM cases WHERE status = 'published' AND product IS NOT NULL ORDER BY product"
            ).all().map { try $0.decode(column: "product", as: String.self) }
            return (categories, products)
        }
    }

    static func decodeCase(_ row: any SQLRow) throws -> CaseStudy {
        CaseStudy(
            complaintID: ComplaintID(try row.decode(column: "complaint_id", as: String.self)),
            number: try row.decode(column: "number", as: String.self),
            title: try row.decode(column: "title", as: String.self),
            category: try row.decode(column: "category", as: String?.self),
            product: try row.decode(column: "product", as: String?.self),
            tags: try row.decode(column: "tags", as: String.self).split(separator: "\n").map(String.init),
            cause: try row.decode(column: "cause", as: String.self),
            handling: try row.decode(column: "handling", as: String.self),
            lesson: try row.decode(column: "lesson", as: String.self),
            prevention: try row.decode(column: "prevention", as: String.self),
            status: CaseStudy.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .draft,
            writtenBy: UserID(try row.decode(column: "written_by", as: String.self)),
            writtenAt: Timestamp.date(try row.decode(column: "written_at", as: Int64.self)),
            updatedAt: Timestamp.date(try row.decode(column: "updated_at", as: Int64.self)),
            publishedBy: try row.decode(column: "published_by", as: String?.self).map { UserID($0) },
            publishedAt: try row.decode(column: "published_at", as: Int64?.self).map(Timestamp.date))
    }
}
