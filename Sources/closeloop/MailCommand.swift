import ArgumentParser
import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation

/// Customers' mail: the MTA's pipe into Closeloop (as Request Tracker's `rt-mailgate`), and the quarantine.
struct MailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mail", abstract: "Take customers' mail in and look after the quarantine.",
        discussion: """
            For an MTA, deliver the complaints address to `closeloop mail receive` (Postfix: an alias \
            `kefu: "|/usr/local/bin/closeloop mail receive --data-dir /var/lib/closeloop"`). Exit status 0 means \
            the message is stored; 75 (EX_TEMPFAIL) asks the MTA to try again later; 65 (EX_DATAERR) makes it bounce \
            an empty or oversized message to its sender.
            """,
        subcommands: [Receive.self, List.self, Retry.self])

    struct Receive: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Read one message on stdin and take it in.")
        @OptionGroup var data: DataOptions
        @Option(name: .long, help: "Where the message came from, as the status page shows it.") var source = "pipe"

        func run() async throws {
            let raw = FileHandle.standardInput.readDataToEndOfFile()
            let message: InboundMessage
            do {
                message = try await data.run { services in try await services.mail.receive(raw, source: source) }
            } catch let refusal as MailRefusal {
                FileHandle.standardError.write(Data("closeloop: refused: \(refusal)\n".utf8))
                throw ExitCode(65)
            } catch {
                // The database or the disk is unavailable: the MTA keeps the message and tries again.
                FileHandle.standardError.write(Data("closeloop: cannot take the message now: \(error)\n".utf8))
                throw ExitCode(75)
            }
            print(Self.line(message))
        }

        static func line(_ message: InboundMessage) -> String {
            var line = "\(message.id) \(message.status.rawValue)"
            if let complaint = message.complaintID { line += " complaint=\(complaint.rawValue)" }
            if let reason = message.reason { line += " reason=\(reason)" }
            return line
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List received mail, newest first.")
        @OptionGroup var data: DataOptions
        @Option(name: .long, help: "pending, created, appended, ignored or quarantined.") var status: String?
        @Option(name: .long) var limit = 50

        func validate() throws {
            if let status, InboundMessage.Status(rawValue: status) == nil {
                throw ValidationError("unknown status \(status)")
            }
        }

        func run() async throws {
            let messages = try await data.run { services in
                try await services.mail.messages(
                    status: status.flatMap(InboundMessage.Status.init(rawValue:)), limit: limit, by: .commandLine)
            }
            let formatter = ISO8601DateFormatter()
            for message in messages {
                print(
                    [
                        message.id, formatter.string(from: message.receivedAt), message.status.rawValue,
                        message.sender ?? "-", message.subject ?? "-", message.reason ?? "",
                    ].joined(separator: "\t"))
            }
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Handle a quarantined message again.")
        @OptionGroup var data: DataOptions
        @Argument(help: "The message's id, as `mail list` shows it.") var id: String

        func run() async throws {
            let message = try await data.run { services in try await services.mail.retry(id, by: .commandLine) }
            guard let message else { throw ValidationError("no received mail \(id)") }
            print(Receive.line(message))
        }
    }
}
