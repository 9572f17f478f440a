import CloseloopCore
import Foundation
import SQLKit

extension SQLStore {
    /// Fills the `bigrams` column of complaints written before migration 8, a batch per transaction, and returns
    /// how many it filled. New complaints carry theirs from the start, so after one run there is nothing left.
    @discardableResult
    public func fillMissingBigrams(batchSize: Int = 1000, progress: @Sendable (Int) -> Void = { _ in }) async throws
        -> Int
    {
        var filled = 0
        while true {
            let rows = try await database.read { db in
                try await db.raw(
                    "SELECT id, subject, description FROM complaints WHERE bigrams IS NULL LIMIT \(bind: batchSize)"
                ).all().map { row in
                    (
                        id: try row.decode(column: "id", as: String.self),
                        text: try row.decode(column: "subject", as: String.self) + " "
                            + row.decode(column: "description", as: String.self)
                    )
                }
            }
            if rows.isEmpty { return filled }
            try await database.transaction { db in
                for row in rows {
                    try await db.update("complaints").set("bigrams", to: SearchTerms.bigrams(of: row.text))
                        .where("id", .equal, row.id).run()
                }
            }
            filled += rows.count
            progress(filled)
        }
    }
}
