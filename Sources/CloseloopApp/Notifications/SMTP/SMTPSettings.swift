import Foundation

/// An SMTP relay for email, used instead of the local `sendmail` when set. Stored inside the delivery settings.
public struct SMTPSettings: Hashable, Codable, Sendable {
    /// How the connection is protected. STARTTLS is the default and is required, never opportunistic: a relay that
    /// does not offer it gets no mail, so a downgrade by a man in the middle fails instead of leaking it.
    public enum Security: String, Hashable, Codable, Sendable, CaseIterable {
        /// Plain connection upgraded with STARTTLS before anything else is said (port 587).
        case starttls
        /// TLS from the first byte (port 465).
        case tls
        /// No encryption, for a relay on the same machine only; credentials are never sent this way.
        case plain
    }

    public var host: String
    public var port: Int
    public var security: Security
    public var username: String?
    public var password: String?
    /// A PEM file of certificate authorities to trust instead of the system's, for a company's own CA.
    public var trustedCertificatesPath: String?
    /// The name this server gives in EHLO; the machine's host name when nil.
    public var heloName: String?

    public init(
        host: String, port: Int = 587, security: Security = .starttls, username: String? = nil,
        password: String? = nil, trustedCertificatesPath: String? = nil, heloName: String? = nil
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.trustedCertificatesPath = trustedCertificatesPath
        self.heloName = heloName
    }

    /// Configuration problems, each a sentence; empty when the relay can be used.
    public func problems() -> [String] {
        var problems: [String] = []
        if host.trimmingCharacters(in: .whitespaces).isEmpty { problems.append("the SMTP host is missing") }
        if !(1...65535).contains(port) { problems.append("the SMTP port must be between 1 and 65535") }
        if (username ?? "").isEmpty != (password ?? "").isEmpty {
            problems.append("give both the SMTP user name and password, or neither")
        }
        if security == .plain && !(username ?? "").isEmpty {
            problems.append("an SMTP password is never sent without TLS: use starttls or tls")
        }
        if let path = trustedCertificatesPath, !FileManager.default.isReadableFile(atPath: path) {
            problems.append("the trusted certificates file \(path) cannot be read")
        }
        return problems
    }
}
