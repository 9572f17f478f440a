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
            enabled and the department and category its complaints start from, and the replay window in seconds; wechat holds the official accounts that push followers' \
            messages to /wechat/NAME, each with the token of its server settings (shown as ***, kept when set back). \
            A document with problems is refused with every problem listed. Running servers pick the change up \
            within 30 seconds.
            """,
        subcommands: [Show.self, Set.self])

    enum Document: String, ExpressibleByArgument, CaseIterable {
        case policy, calendar, alerts, delivery, mailbox, webhooks, wechat
    }

    /// The mailbox's password as `show` prints it and `set` keeps it.
    static let hiddenPassword = "***"

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
                case .mailbox:
                    var mailbox = await settings.mailboxSettings()
                    if !mailbox.password.isEmpty { mailbox.password = Config.hiddenPassword }
                    return try encoder.encode(mailbox)
                case .webhooks:
                    var webhooks = await settings.webhookSettings()
                    for index in webhooks.sources.indices { webhooks.sources[index].secret = Config.hiddenPassword }
                    return try encoder.encode(webhooks)
                case .wechat:
                    var weChat = await settings.weChatSettings()
                    for index in weChat.accounts.indices { weChat.accounts[index].token = Config.hiddenPassword }
                    return try encoder.encode(weChat)
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
                    var mailbox = try decoder.decode(MailboxSettings.self, from: data)
                    if mailbox.password == Config.hiddenPassword {
                        mailbox.password = await settings.mailboxSettings().password
                    }
                    var shown = mailbox
                    shown.password = Config.hiddenPassword
                    try await settings.save(
                        mailbox, by: .commandLine, section: section,
                        detail: String(decoding: try JSONEncoder().encode(shown), as: UTF8.self))
                case .webhooks:
                    var webhooks = try decoder.decode(WebhookSettings.self, from: data)
                    let current = await settings.webhookSettings()
                    var shown = webhooks
                    for index in webhooks.sources.indices {
                        if webhooks.sources[index].secret == Config.hiddenPassword,
                            let kept = current.sources.first(where: { $0.name == webhooks.sources[index].name })
                        {
                            webhooks.sources[index].secret = kept.secret
                        }
                        shown.sources[index].secret = Config.hiddenPassword
                    }
                    try await settings.save(
                        webhooks, by: .commandLine, section: section,
                        detail: String(decoding: try JSONEncoder().encode(shown), as: UTF8.self))
                case .wechat:
                    var weChat = try decoder.decode(WeChatSettings.self, from: data)
                    let current = await settings.weChatSettings()
                    var shown = weChat
                    for index in weChat.accounts.indices {
                        if weChat.accounts[index].token == Config.hiddenPassword,
                            let kept = current.accounts.first(where: { $0.name == weChat.accounts[index].name })
                        {
                            weChat.accounts[index].token = kept.token
                        }
                        shown.accounts[index].token = Config.hiddenPassword
                    }
                    try await settings.save(
                        weChat, by: .commandLine, section: section,
                        detail: String(decoding: try JSONEncoder().encode(shown), as: UTF8.self))
                }
            }
            print("\(document.rawValue) saved")
        }
    }
}
