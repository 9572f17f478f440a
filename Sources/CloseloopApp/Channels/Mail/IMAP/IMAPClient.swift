import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// A connection to the complaints mailbox (RFC 3501, the subset a poller needs), over implicit TLS or a STARTTLS
/// that is required, never opportunistic: a password is never sent in the clear.
struct IMAPClient: Sendable {
    let settings: MailboxSettings
    var timeout: Duration = .seconds(120)

    /// Connects, logs in, selects the folder and runs `body` with the session; logs out afterwards.
    func session<Result: Sendable>(_ body: @Sendable @escaping (inout IMAPSession) async throws -> Result)
        async throws -> Result
    {
        let tls = try ClientTLS.context(trusting: settings.trustedCertificatesPath)
        let hostname = ClientTLS.serverHostname(settings.host)
        let channel: NIOAsyncChannel<IMAPResponse, ByteBuffer>
        do {
            channel = try await connect(tls: tls, serverHostname: hostname)
        } catch {
            throw IMAPError(description: "cannot reach \(settings.host):\(settings.port): \(error)")
        }
        let settings = settings
        let result = try await withTimeLimit(timeout, onTimeout: { channel.channel.close(promise: nil) }) {
            try await channel.executeThenClose { inbound, outbound in
                var session = IMAPSession(
                    responses: inbound.makeAsyncIterator(), outbound: outbound, channel: channel.channel)
                try await session.open(settings: settings, tls: tls, serverHostname: hostname)
                let result = try await body(&session)
                try? await session.logout()
                return result
            }
        }
        guard let result else { throw IMAPError(description: "the mailbox did not answer within \(timeout)") }
        return result
    }

    private func connect(
        tls: NIOSSLContext, serverHostname hostname: String?
    ) async throws -> NIOAsyncChannel<IMAPResponse, ByteBuffer> {
        let implicit = settings.security == .tls
        // A fetched message may be as large as the limit, with room for the response around it.
        let maxLiteral = settings.maxMessageBytes + 4096
        return try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .connect(host: settings.host, port: settings.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if implicit {
                        try channel.pipeline.syncOperations.addHandler(
                            NIOSSLClientHandler(context: tls, serverHostname: hostname))
                    }
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(IMAPResponseDecoder(maxLiteral: maxLiteral)))
                    return try NIOAsyncChannel<IMAPResponse, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
    }

}

/// One logged-in conversation: one command at a time, each answered before the next is sent.
struct IMAPSession {
    /// The keyword a message too large to take is marked with, so it stays in the mailbox for a person and is not
    /// fetched again.
    static let refusedKeyword = "CloseloopRefused"

    var responses: NIOAsyncChannelInboundStream<IMAPResponse>.AsyncIterator
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    let channel: any Channel
    private var counter = 0

    init(
        responses: NIOAsyncChannelInboundStream<IMAPResponse>.AsyncIterator,
        outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, channel: any Channel
    ) {
        self.responses = responses
        self.outbound = outbound
        self.channel = channel
    }

    mutating func open(settings: MailboxSettings, tls: NIOSSLContext, serverHostname: String?) async throws {
        guard let greeting = try await next(after: "connecting"), greeting.text.uppercased().hasPrefix("* OK") else {
            throw IMAPError(description: "the server did not greet with OK")
        }
        if settings.security == .starttls {
            let capabilities = try await command("CAPABILITY")
            guard capabilities.contains(where: { $0.text.uppercased().contains("STARTTLS") }) else {
                throw IMAPError(description: "the server does not offer STARTTLS; the password was not sent")
            }
            try await command("STARTTLS")
            // The handler is made on the channel's event loop: NIOSSL's handlers never cross threads.
            let channel = channel
            try await channel.eventLoop.submit {
                try channel.pipeline.syncOperations.addHandler(
                    NIOSSLClientHandler(context: tls, serverHostname: serverHostname), position: .first)
            }.get()
        }
        try await command(
            "LOGIN \(Self.quoted(settings.username)) \(Self.quoted(settings.password))", shown: "LOGIN")
        try await command("SELECT \(Self.quoted(settings.folder))")
    }

    /// The UIDs of the messages to take: not deleted, not refused before.
    mutating func messages() async throws -> [UInt32] {
        let answer = try await command("UID SEARCH UNDELETED UNKEYWORD \(Self.refusedKeyword)")
        return answer.flatMap { response -> [UInt32] in
            guard response.text.uppercased().hasPrefix("* SEARCH") else { return [] }
            return response.text.dropFirst("* SEARCH".count).split(separator: " ").compactMap { UInt32($0) }
        }
    }

    /// Each message's size in bytes, by UID.
    mutating func sizes(of uids: [UInt32]) async throws -> [UInt32: Int] {
        guard !uids.isEmpty else { return [:] }
        var sizes: [UInt32: Int] = [:]
        for response in try await command("UID FETCH \(Self.set(uids)) (UID RFC822.SIZE)") {
            let items = Self.fetchItems(response.text)
            if let uid = items["UID"].flatMap({ UInt32($0) }), let size = items["RFC822.SIZE"].flatMap({ Int($0) }) {
                sizes[uid] = size
            }
        }
        return sizes
    }

    /// The message's bytes, without marking it seen.
    mutating func fetch(_ uid: UInt32) async throws -> [UInt8]? {
        for response in try await command("UID FETCH \(uid) (UID BODY.PEEK[])") {
            guard response.text.contains(" FETCH "), Self.fetchItems(response.text)["UID"] == String(uid),
                let body = response.literals.first
            else { continue }
            return body
        }
        return nil
    }

    mutating func markDeleted(_ uid: UInt32) async throws {
        try await command("UID STORE \(uid) +FLAGS.SILENT (\\Deleted)")
    }

    mutating func markRefused(_ uid: UInt32) async throws {
        try await command("UID STORE \(uid) +FLAGS.SILENT (\\Flagged \(Self.refusedKeyword))")
    }

    mutating func expunge() async throws { try await command("EXPUNGE") }

    mutating func logout() async throws { try await command("LOGOUT") }

    // MARK: - The protocol

    /// Sends one tagged command and returns the untagged responses before its OK; NO and BAD throw with the
    /// server's words.
    @discardableResult
    private mutating func command(_ line: String, shown: String? = nil) async throws -> [IMAPResponse] {
        counter += 1
        let tag = "C\(counter)"
        try await outbound.write(ByteBuffer(string: "\(tag) \(line)\r\n"))
        var untagged: [IMAPResponse] = []
        while let response = try await next(after: shown ?? line) {
            if let done = response.completion(of: tag) {
                guard done.ok else { throw IMAPError(description: "\(shown ?? line): \(done.text)") }
                return untagged
            }
            if response.text.uppercased().hasPrefix("* BYE") && !line.hasPrefix("LOGOUT") {
                throw IMAPError(description: "the server closed the session: \(response.text)")
            }
            untagged.append(response)
        }
        if line == "LOGOUT" { return untagged }
        throw IMAPError(description: "the server closed the connection after \(shown ?? line)")
    }

    private mutating func next(after step: String) async throws -> IMAPResponse? {
        do {
            return try await responses.next()
        } catch let error as IMAPError {
            throw error
        } catch {
            throw IMAPError(description: "the connection failed after \(step): \(error)")
        }
    }

    /// A quoted string (RFC 3501 §4.3): backslash and quote escaped; the settings refuse line breaks.
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// `1,5,9` for a UID set.
    static func set(_ uids: [UInt32]) -> String { uids.map(String.init).joined(separator: ",") }

    /// The name–value pairs of a FETCH response: `* 3 FETCH (UID 12 RFC822.SIZE 340 BODY[] {340})`.
    static func fetchItems(_ text: String) -> [String: String] {
        guard let open = text.firstIndex(of: "(") else { return [:] }
        let words = text[text.index(after: open)...].split(separator: " ").map {
            $0.trimmingCharacters(in: CharacterSet(charactersIn: ")"))
        }
        var items: [String: String] = [:]
        var index = 0
        while index + 1 < words.count {
            items[words[index].uppercased()] = words[index + 1]
            index += 2
        }
        return items
    }
}
