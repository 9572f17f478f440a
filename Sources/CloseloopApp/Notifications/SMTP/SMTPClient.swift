import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Sends one message to an SMTP relay (RFC 5321) over NIO, with STARTTLS (RFC 3207) or implicit TLS and
/// AUTH PLAIN. One connection per message: notifications are few, and a fresh session never carries a half-failed
/// transaction over to the next message.
struct SMTPClient: Sendable {
    let settings: SMTPSettings
    var timeout: Duration = .seconds(30)

    /// Delivers `mail` (a complete RFC 5322 message with CRLF line ends) from `sender` to `recipients`.
    func send(_ mail: String, from sender: String, to recipients: [String]) async throws {
        let tls = settings.security == .plain ? nil : try ClientTLS.context(trusting: settings.trustedCertificatesPath)
        let hostname = ClientTLS.serverHostname(settings.host)
        let channel: NIOAsyncChannel<SMTPReply, ByteBuffer>
        do {
            channel = try await connect(tls: tls, serverHostname: hostname)
        } catch {
            throw DeliveryError(description: "cannot reach the SMTP relay \(settings.host):\(settings.port): \(error)")
        }
        let finished: Void? = try await withTimeLimit(timeout, onTimeout: { channel.channel.close(promise: nil) }) {
            try await channel.executeThenClose { inbound, outbound in
                var session = SMTPSession(
                    replies: inbound.makeAsyncIterator(), outbound: outbound, channel: channel.channel)
                try await session.run(
                    settings: settings, tls: tls, serverHostname: hostname, mail: mail, sender: sender,
                    recipients: recipients)
            }
        }
        guard finished != nil else {
            throw DeliveryError(description: "the SMTP relay did not finish within \(timeout)")
        }
    }

    private func connect(
        tls: NIOSSLContext?, serverHostname hostname: String?
    ) async throws -> NIOAsyncChannel<SMTPReply, ByteBuffer> {
        let security = settings.security
        return try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .connect(host: settings.host, port: settings.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if security == .tls, let tls {
                        try channel.pipeline.syncOperations.addHandler(
                            NIOSSLClientHandler(context: tls, serverHostname: hostname))
                    }
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPReplyDecoder()))
                    return try NIOAsyncChannel<SMTPReply, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
    }

}

/// The conversation itself, one command and one reply at a time.
private struct SMTPSession {
    var replies: NIOAsyncChannelInboundStream<SMTPReply>.AsyncIterator
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    let channel: any Channel

    mutating func run(
        settings: SMTPSettings, tls: NIOSSLContext?, serverHostname: String?, mail: String, sender: String,
        recipients: [String]
    ) async throws {
        try await expect("greeting", codes: [220])
        let helo = settings.heloName ?? ProcessInfo.processInfo.hostName
        var capabilities = try await command("EHLO \(helo)", codes: [250]).lines
        if settings.security == .starttls {
            guard capabilities.contains(where: { $0.uppercased().hasPrefix("STARTTLS") }) else {
                throw DeliveryError(
                    description: "the SMTP relay \(settings.host) does not offer STARTTLS; nothing was sent",
                    permanent: true)
            }
            try await command("STARTTLS", codes: [220])
            guard let tls else { throw DeliveryError(description: "no TLS context") }
            // The handler is made on the channel's event loop: NIOSSL's handlers never cross threads.
            let channel = channel
            try await channel.eventLoop.submit {
                try channel.pipeline.syncOperations.addHandler(
                    NIOSSLClientHandler(context: tls, serverHostname: serverHostname), position: .first)
            }.get()
            // RFC 3207: everything learned before the upgrade is forgotten and asked again.
            capabilities = try await command("EHLO \(helo)", codes: [250]).lines
        }
        if let username = settings.username, let password = settings.password, !username.isEmpty {
            guard
                capabilities.contains(where: { $0.uppercased().hasPrefix("AUTH") && $0.uppercased().contains("PLAIN") })
            else {
                throw DeliveryError(description: "the SMTP relay does not accept AUTH PLAIN", permanent: true)
            }
            let token = Data("\0\(username)\0\(password)".utf8).base64EncodedString()
            try await command("AUTH PLAIN \(token)", codes: [235], shown: "AUTH PLAIN ***")
        }
        try await command("MAIL FROM:<\(sender)>", codes: [250])
        for recipient in recipients {
            try await command("RCPT TO:<\(recipient)>", codes: [250, 251])
        }
        try await command("DATA", codes: [354])
        try await send(Self.dotStuffed(mail) + ".\r\n")
        try await expect("message", codes: [250])
        // The message is accepted; a relay that drops the line before answering QUIT changes nothing.
        _ = try? await command("QUIT", codes: [221])
    }

    @discardableResult
    private mutating func command(_ line: String, codes: Set<Int>, shown: String? = nil) async throws -> SMTPReply {
        try await send(line + "\r\n")
        return try await expect(shown ?? line, codes: codes)
    }

    private func send(_ text: String) async throws {
        try await outbound.write(ByteBuffer(string: text))
    }

    @discardableResult
    private mutating func expect(_ step: String, codes: Set<Int>) async throws -> SMTPReply {
        let answer: SMTPReply?
        do {
            answer = try await replies.next()
        } catch {
            throw DeliveryError(description: "the connection to the SMTP relay failed after \(step): \(error)")
        }
        guard let reply = answer else {
            throw DeliveryError(description: "the SMTP relay closed the connection after \(step)")
        }
        guard codes.contains(reply.code) else {
            throw DeliveryError(
                description: "the SMTP relay answered \(step) with \(reply.code) \(reply.text)",
                permanent: reply.isPermanentFailure)
        }
        return reply
    }

    /// RFC 5321 §4.5.2: a line starting with "." gets a second one, and the message ends on a CRLF.
    static func dotStuffed(_ mail: String) -> String {
        var lines = mail.replacingOccurrences(of: "\r\n", with: "\n").split(
            separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        return lines.map { $0.hasPrefix(".") ? "." + $0 : String($0) }.joined(separator: "\r\n") + "\r\n"
    }
}
