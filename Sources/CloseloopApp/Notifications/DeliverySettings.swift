/// How notifications leave the server: the mail transport (an SMTP relay when `smtp` is set, else the local
/// `sendmail`) and the SMS gateway. Stored in `settings` under
/// `delivery`; IM robots and webhooks are notification targets of their own (address and signing secret).
public struct DeliverySettings: Hashable, Codable, Sendable {
    /// The local `sendmail` interface (the Unix standard; Postfix, Exim and msmtp all provide it).
    public var sendmailPath: String
    /// The sender of every email.
    public var emailFrom: String
    /// The SMTP relay email goes through instead of `sendmail`; nil means `sendmail`.
    public var smtp: SMTPSettings?
    /// An HTTP SMS gateway that takes `{"to": …, "text": …}` with a bearer token; nil when SMS is not set up.
    public var smsGatewayURL: String?
    public var smsGatewayToken: String?
    /// Attempts before a message is marked failed; the wait doubles from `retryBaseSeconds` each time, up to an hour.
    public var maxAttempts: Int
    public var retryBaseSeconds: Double
    /// The portal's address as customers reach it (`https://kefu.example.com`), for the links in their messages;
    /// nil until an administrator sets it, and then messages give the number without a link.
    public var portalURL: String?

    public init(
        sendmailPath: String, emailFrom: String, smtp: SMTPSettings? = nil, smsGatewayURL: String? = nil,
        smsGatewayToken: String? = nil,
        maxAttempts: Int, retryBaseSeconds: Double, portalURL: String? = nil
    ) {
        self.sendmailPath = sendmailPath
        self.emailFrom = emailFrom
        self.smtp = smtp
        self.smsGatewayURL = smsGatewayURL
        self.smsGatewayToken = smsGatewayToken
        self.maxAttempts = maxAttempts
        self.retryBaseSeconds = retryBaseSeconds
        self.portalURL = portalURL
    }

    public static let standard = DeliverySettings(
        sendmailPath: "/usr/sbin/sendmail", emailFrom: "closeloop@localhost", maxAttempts: 8, retryBaseSeconds: 30)

    /// Configuration problems, each a sentence; empty when the settings can be used.
    public func problems() -> [String] {
        var problems: [String] = []
        if maxAttempts < 1 { problems.append("at least one delivery attempt is needed") }
        if retryBaseSeconds <= 0 { problems.append("the retry wait must be positive") }
        if !emailFrom.contains("@") { problems.append("the sender must be an email address") }
        if let smtp { problems += smtp.problems() }
        if let url = portalURL, !url.isEmpty,
            !(url.hasPrefix("https://") || url.hasPrefix("http://")) || url.contains(where: \.isWhitespace)
        {
            problems.append("the portal address must be an http(s) URL")
        }
        if let url = smsGatewayURL, !url.isEmpty {
            if !(url.hasPrefix("https://") || url.hasPrefix("http://")) {
                problems.append("the SMS gateway must be an http(s) URL")
            }
        }
        return problems
    }

    /// The wait before attempt `attempts + 1`: 30 s, 1 min, 2 min, … at most an hour.
    public func retryDelay(afterAttempts attempts: Int) -> Double {
        min(retryBaseSeconds * Double(1 << min(max(attempts - 1, 0), 20)), 3600)
    }
}
