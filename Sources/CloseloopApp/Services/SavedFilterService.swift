import CloseloopCore
import CloseloopStore
import Foundation

/// Queue filters a staff member saved under a name; each person sees and deletes only their own.
public struct SavedFilterService: Sendable {
    let store: SQLStore
    let time: any TimeSource

    public func filters(of user: UserAccount) async throws -> [SavedFilter] {
        try await store.savedFilters(of: user.id)
    }

    /// Saves `query` (a queue page's query string) as `name`; both are cut to their limits, a blank name saves nothing.
    public func save(_ name: String, query: String, for user: UserAccount) async throws {
        let name = String(name.trimmingCharacters(in: .whitespaces).prefix(60))
        guard !name.isEmpty else { return }
        try await store.saveFilter(
            SavedFilter(
                id: UUID().uuidString.lowercased(), userID: user.id, name: name, query: String(query.prefix(2000)),
                createdAt: time.instant()))
    }

    public func delete(_ id: String, of user: UserAccount) async throws {
        try await store.deleteFilter(id: id, of: user.id)
    }
}
