import CloseloopCore
import CloseloopStore
import Foundation

/// What arrived on the channels customers write in by, newest first, for the administration pages.
public struct ReceivedMessages: Sendable {
    let store: SQLStore

    /// A channel messages arrive by.
    public enum Channel: String, Sendable {
        case email, webhook, wechat
    }

    public func messages(channels: [Channel], limit: Int, by actor: Operator) async throws -> [InboundMessage] {
        try actor.require(anyOf: [.administrator, .supervisor])
        var messages: [InboundMessage] = []
        for channel in channels {
            messages += try await store.inboundMessages(channel: channel.rawValue, limit: limit)
        }
        return Array(messages.sorted { $0.receivedAt > $1.receivedAt }.prefix(limit))
    }
}
