import Foundation

/// The company's complaints mailbox: read over IMAP when `enabled`, and the limits every mail intake applies (the MTA
/// pipe too). Stored in `settings` under `mailbox`.
public struct MailboxSettings: Hashable, Codable, Sendable {
    /// How the IMAP connection is protected.
    public enum Security: String, Hashable, Codable, Sendable, CaseIterable {
        /// TLS from the first byte (port 993), what Chinese corporate mail services offer.
        case tls
        /// A plain connection upgraded with STARTTLS before logging in (port 143); refused if not offered.
        case starttls
    }

    public var enabled: Bool
    public var host: String
    public var port: Int
    public var security: Security
    public var username: String
    public var password: String
    public var folder: String
    /// A PEM file of certificate authorities to trust instead of the system's, for a company's own CA.
    public var trustedCertificatesPath: String?
    public var pollSeconds: Int
    /// A message larger than this is refused (the MTA bounces it; IMAP leaves it in the mailbox, flagged).
    public var maxMessageBytes: Int
    /// An attachment larger than this is not attached to the complaint; the raw message keeps it and a note names it.
    public var maxAttachmentBytes: Int

    public init(
        enabled: Bool, host: String, port: Int, security: Security, username: String, password: String,
        folder: String = "INBOX", trustedCertificatesPath: String? = nil, pollSeconds: Int = 60,
        maxMessageBytes: Int = 25 << 20, maxAttachmentBytes: Int = 10 << 20
    ) {
        self.enabled = enabled
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.folder = folder
        self.trustedCertificatesPath = trustedCertificatesPath
        self.pollSeconds = pollSeconds
        self.maxMessageBytes = maxMessageBytes
        self.maxAttachmentBytes = maxAttachmentBytes
    }

    public static let standard = MailboxSettings(
        enabled: false, host: "", port: 993, security: .tls, username: "", password: "")

    /// Configuration problems, each a sentence; empty when the settings can be used.
    public func problems() -> [String] {
        var problems: [String] = []
        if enabled {
            if host.trimmingCharacters(in: .whitespaces).isEmpty { problems.append("the IMAP host is missing") }
            if username.isEmpty || password.isEmpty { problems.append("the IMAP user name and password are needed") }
        }
        if !(1...65535).contains(port) { problems.append("the IMAP port must be between 1 and 65535") }
        if folder.isEmpty || folder.contains(where: { $0 == "\"" || $0 == "\\" || $0.isNewline }) {
            problems.append("the folder must be a plain mailbox name")
        }
        if username.contains(where: { $0.isNewline }) || password.contains(where: { $0.isNewline }) {
            problems.append("the IMAP user name and password must be one line")
        }
        if !(10...86_400).contains(pollSeconds) { problems.append("the poll interval must be 10 s to 1 day") }
        if maxMessageBytes < 1 << 16 { problems.append("the message size limit must be at least 64 KB") }
        if maxAttachmentBytes < 1 || maxAttachmentBytes > maxMessageBytes {
            problems.append("the attachment size limit must be positive and at most the message limit")
        }
        if let path = trustedCertificatesPath, !FileManager.default.isReadableFile(atPath: path) {
            problems.append("the trusted certificates file \(path) cannot be read")
        }
        return problems
    }
}
