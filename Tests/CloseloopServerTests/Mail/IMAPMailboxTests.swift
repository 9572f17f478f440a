@_spi(Tools) import CloseloopApp
import CloseloopCore
import CloseloopStore
import CloseloopTestSupport
import Foundation
import Testing

/// The complaints mailbox read over IMAP from a real Dovecot on loopback (`scripts/dovecot-test-server.sh`, started
/// by the test command): implicit TLS and STARTTLS, each message stored before it leaves the mailbox, an oversized
/// one left there flagged, a failed login on the status page.
@Suite("Reading the complaints mailbox over IMAP", .serialized, .enabled(if: IMAPTestServer.configured))
struct IMAPMailboxTests {
    /// Polling settings for the test server's one mailbox, on its implicit-TLS or its STARTTLS port.
    static func settings(_ server: IMAPTestServer, _ security: MailboxSettings.Security) -> MailboxSettings {
        MailboxSettings(
            enabled: true, host: "127.0.0.1", port: security == .tls ? server.tlsPort : server.starttlsPort,
            security: security, username: "kefu@test", password: "secret-pass",
            trustedCertificatesPath: server.certificate, maxMessageBytes: 1 << 16, maxAttachmentBytes: 1 << 15)
    }

    @Test("Over implicit TLS: people's mail becomes complaints, machines' mail is kept, an oversized one stays flagged")
    func implicitTLS() async throws {
        let imap = try IMAPTestServer.fromEnvironment()
        try imap.empty()
        try await withServer(.sqlite) { server in
            try await server.services.settings.save(
                Self.settings(imap, .tls), by: .commandLine, section: "mailbox", detail: "")
            try imap.deliver(MailCorpus.foxmail())
            try imap.deliver(
                MailCorpus.outlook(
                    subject: "Refund not received", text: "I returned the kettle on 2 April and have no refund yet.",
                    messageID: "ol-1@outlook.com", from: "Mary Chen <mary.chen@example.com>"))
            try imap.deliver(MailCorpus.autoReply(messageID: "ooo-1@x"))
            var huge = MailCorpus.outlook(
                subject: "big", text: String(repeating: "图", count: 30_000), messageID: "big@x", from: "a@example.cn")
            huge.append(Data(repeating: 0x41, count: 1 << 16))
            try imap.deliver(huge)

            let pass = try #require(try await server.services.mailbox.poll())
            #expect(pass == .init(taken: 3, refused: 1))
            #expect(try await server.complaintCount() == 2)
            let received = try await server.services.store.inboundMessages()
            #expect(Set(received.map(\.status)) == [.created, .ignored])
            #expect(received.allSatisfy { $0.source == "imap:kefu@test@127.0.0.1" })
            #expect(imap.messagesLeft() == 1, "only the oversized message stays in the mailbox")

            // Read again: nothing new, the flagged message is not fetched a second time.
            #expect(try await server.services.mailbox.poll() == .init(taken: 0, refused: 0))
            let status = try await server.services.mailbox.status()
            #expect(status.taken == 3 && status.refused == 1 && status.failures == 0)
            #expect(status.lastSuccessAt == server.time.instant())
        }
    }

    @Test("Over STARTTLS, and a wrong password leaves the mail in the mailbox with the failure on the status page")
    func starttlsAndFailure() async throws {
        let imap = try IMAPTestServer.fromEnvironment()
        try imap.empty()
        try await withServer(.sqlite) { server in
            var settings = Self.settings(imap, .starttls)
            settings.password = "wrong"
            try await server.services.settings.save(settings, by: .commandLine, section: "mailbox", detail: "")
            try imap.deliver(MailCorpus.foxmail(messageID: "fm-starttls@foxmail.com"))
            await #expect(throws: (any Error).self) { try await server.services.mailbox.poll() }
            let failed = try await server.services.mailbox.status()
            #expect(failed.consecutiveFailures == 1 && failed.lastError?.contains("LOGIN") == true)
            #expect(failed.lastError?.contains("wrong") == false, "the password is never shown")
            #expect(imap.messagesLeft() == 1)

            settings.password = "secret-pass"
            try await server.services.settings.save(settings, by: .commandLine, section: "mailbox", detail: "")
            #expect(try await server.services.mailbox.poll() == .init(taken: 1, refused: 0))
            #expect(try await server.complaintCount() == 1)
            #expect(imap.messagesLeft() == 0)
            #expect(try await server.services.mailbox.status().consecutiveFailures == 0)
        }
    }

    @Test("A server whose certificate is not trusted gets no password")
    func untrustedCertificate() async throws {
        let imap = try IMAPTestServer.fromEnvironment()
        try await withServer(.sqlite) { server in
            var settings = Self.settings(imap, .tls)
            settings.trustedCertificatesPath = nil
            try await server.services.settings.save(settings, by: .commandLine, section: "mailbox", detail: "")
            let error = await #expect(throws: (any Error).self) { try await server.services.mailbox.poll() }
            #expect("\(String(describing: error))".lowercased().contains("certificate"))
        }
    }
}

/// The Dovecot the test command starts: its ports, its certificate and the Maildir of its one mailbox.
struct IMAPTestServer {
    static let variable = "CLOSELOOP_TEST_IMAP_DIR"

    let directory: URL
    let starttlsPort: Int
    let tlsPort: Int

    static var configured: Bool {
        ProcessInfo.processInfo.environment[variable] != nil
            || ProcessInfo.processInfo.environment["CLOSELOOP_REQUIRE_IMAP"] == "1"
    }

    static func fromEnvironment() throws -> IMAPTestServer {
        let environment = ProcessInfo.processInfo.environment
        guard let directory = environment[variable],
            let starttls = environment["CLOSELOOP_TEST_IMAP_PORT"].flatMap(Int.init),
            let tls = environment["CLOSELOOP_TEST_IMAPS_PORT"].flatMap(Int.init)
        else {
            throw IMAPTestServerMissing()
        }
        return IMAPTestServer(directory: URL(fileURLWithPath: directory), starttlsPort: starttls, tlsPort: tls)
    }

    var certificate: String { directory.appendingPathComponent("cert.pem").path }
    var maildir: URL { directory.appendingPathComponent("mail/kefu@test/Maildir") }

    /// Puts a message into the mailbox as the MTA's local delivery would: written aside, then moved into `new/`.
    func deliver(_ message: Data) throws {
        let name = "\(Int(Date().timeIntervalSince1970)).\(UUID().uuidString).closeloop-test"
        let temporary = directory.appendingPathComponent(name)
        try message.write(to: temporary)
        try FileManager.default.moveItem(at: temporary, to: maildir.appendingPathComponent("new/\(name)"))
    }

    /// How many messages the mailbox holds.
    func messagesLeft() -> Int {
        ["new", "cur"].reduce(0) { count, folder in
            count
                + ((try? FileManager.default.contentsOfDirectory(atPath: maildir.appendingPathComponent(folder).path))?
                    .count ?? 0)
        }
    }

    func empty() throws {
        for folder in ["new", "cur"] {
            let path = maildir.appendingPathComponent(folder)
            for file in try FileManager.default.contentsOfDirectory(atPath: path.path) {
                try FileManager.default.removeItem(at: path.appendingPathComponent(file))
            }
        }
    }
}

struct IMAPTestServerMissing: Error, CustomStringConvertible {
    var description: String {
        "CLOSELOOP_REQUIRE_IMAP=1 but no test IMAP server is given; start one with scripts/dovecot-test-server.sh"
    }
}
