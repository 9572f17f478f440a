import ArgumentParser
import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation

struct Config: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Show or replace the service policy, business calendar, alert policy, delivery or mailbox settings (JSON).",
        discussion: """
            The policy holds every target of the loop (priorities, severities, fixed clocks, calendar-time rules, \
            reopen and repeat windows, the authority matrix and the number pattern); the calendar holds working \
            hours, weekends, public holidays and make-up working days. Print one, edit it, and set it back: \
            closeloop config show calendar > calendar.json; closeloop config set calendar calendar.json. \
            The alert policy holds the warning point, escalation levels, penalty clocks and monitoring targets; \
            delivery holds the sendmail path, sender, SMS gateway, retry settings and the portal's public address \
            (portalURL, for the links in customers' messages); mailbox holds the IMAP mailbox complaints are read from \
            and the size limits of every mail intake (its password is shown as *** and kept when set back as ***); \
            webhooks holds the sources that may post customers' messages to /api/v1/intake/webhook/NAME, each with \
            its signing secret (shown as ***, kept when set back as ***), channel (im, api or web), whether it is \
            enabled and the department and category its complaints start from, and the replay window in seconds; \
            wechat holds the official accounts that push followers' messages to /wechat/NAME, each with the token of \
            its server settings, and for telling followers on WeChat the appID and appSecret, a templateID with \
            templateFields (each field key of the template, such as thing2, with what it shows: number, summary, \
            state, notice, text or time) and apiURL for a proxy (the token and appSecret are shown as ***, kept when set back). \
            The administration pages /admin/mailbox and /admin/channels edit the same settings. \
            A document with problems is refused with every problem listed. Running servers pick the change up \
            within 30 seconds.
            """,
        subcommands: [Show.self, Set.self])

    enum Document: String, ExpressibleByArgument, CaseIterable {
        case policy, calendar, alerts, delivery, mailbox, webhooks, wechat
    }

    /// The mailbox's password as `show` prints it and `set` keeps it.

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the policy or calendar in force.")
        @OptionGroup var data: DataOptions
        @Argument(help: "policy, calendar, alerts, delivery, mailbox, webhooks or wechat") var document: Document

        func run() async throws {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let document = self.document
            let data = try await data.run { services -> Data in
                let settings = services.settings
                switch document {
                case .policy: return try encoder.encode(await settings.current().policy)
                case .calendar: return try encoder.encode(await settings.current().calendar)
                case .alerts: return try encoder.encode(await settings.alertPolicy())
                case .delivery: return try encoder.encode(await settings.deliverySettings())
                case .mailbox: return try encoder.encode(await settings.mailboxSettings().masked())
                case .webhooks: return try encoder.encode(await settings.webhookSettings().masked())
                case .wechat: return try encoder.encode(await settings.weChatSettings().masked())
                }
            }
            print(String(decoding: data, as: UTF8.self))
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Replace the policy or calendar from a JSON file.")
        @OptionGroup var data: DataOptions
        @Argument(help: "policy, calendar, alerts, delivery, mailbox, webhooks or wechat") var document: Document
        @Argument(help: "The JSON file.") var file: String

        func run() async throws {
            let data = try Data(contentsOf: URL(fileURLWithPath: file))
            let decoder = JSONDecoder()
            let section = document.rawValue
            let detail = String(decoding: data, as: UTF8.self)
            try await self.data.run { services in
                let settings = services.settings
                switch document {
                case .policy:
                    try await settings.save(
                        try decoder.decode(ServicePolicy.self, from: data), by: .commandLine, section: section,
                        detail: detail)
                case .calendar:
                    try await settings.save(
                        try decoder.decode(BusinessCalendar.self, from: data), by: .commandLine, section: section,
                        detail: detail)
                case .alerts:
                    try await settings.save(
                        try decoder.decode(AlertPolicy.self, from: data), by: .commandLine, section: section,
                        detail: detail)
                case .delivery:
                    try await settings.save(
                        try decoder.decode(DeliverySettings.self, from: data), by: .commandLine, section: section,
                        detail: detail)
                case .mailbox:
                    let mailbox = try decoder.decode(MailboxSettings.self, from: data)
                        .keepingSecrets(of: await settings.mailboxSettings())
                    try await settings.save(
                        mailbox, by: .commandLine, section: section,
                        detail: ChannelSecrets.auditDetail(mailbox.masked()))
                case .webhooks:
                    let webhooks = try decoder.decode(WebhookSettings.self, from: data)
                        .keepingSecrets(of: await settings.webhookSettings())
                    try await settings.save(
                        webhooks, by: .commandLine, section: section,
                        detail: ChannelSecrets.auditDetail(webhooks.masked()))
                case .wechat:
                    let weChat = try decoder.decode(WeChatSettings.self, from: data)
                        .keepingSecrets(of: await settings.weChatSettings())
                    try await settings.save(
                        weChat, by: .commandLine, section: section,
                        detail: ChannelSecrets.auditDetail(weChat.masked()))
                }
            }
            print("\(document.rawValue) saved")
        }
    }
}
