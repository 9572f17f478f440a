import ArgumentParser
import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation

extension NotifyCommand {
    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send a test message on a channel now, with the delivery settings in force.",
            discussion: "Prints the receiver's refusal when it does not take the message (and exits non-zero).")
        @OptionGroup var data: DataOptions
        @OptionGroup var target: ChannelAddress

        func run() async throws {
            try await data.run { services in
                do {
                    try await services.outbox.sendTest(
                        channel: target.channel, address: target.address, secret: target.secret, by: .commandLine)
                } catch let refusal as DomainError {
                    throw refusal
                } catch {
                    FileHandle.standardError.write(Data("not sent: \(error)\n".utf8))
                    throw ExitCode.failure
                }
            }
            print("sent a test message to \(target.address) (\(target.channel))")
        }
    }

    struct Outbox: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List queued, sent and failed notifications, newest first, with their last error.")
        @OptionGroup var data: DataOptions
        @Option(name: .long, help: "pending, sent or failed.") var status: String?
        @Option(name: .long, help: "How many to list.") var limit = 50

        func validate() throws {
            if let status, OutboxMessage.Status(rawValue: status) == nil {
                throw ValidationError("status must be pending, sent or failed")
            }
        }

        func run() async throws {
            let messages = try await data.run { services in
                try await services.outbox.messages(status: status.flatMap(OutboxMessage.Status.init), limit: limit)
            }
            let formatter = ISO8601DateFormatter()
            for message in messages {
                let fields = [
                    message.id, formatter.string(from: message.createdAt), message.status.rawValue,
                    "attempts \(message.attempts)", message.channel, message.recipient, message.topic,
                    message.lastError ?? "",
                ]
                print(fields.joined(separator: "\t"))
            }
        }
    }

    struct Deliver: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Deliver the notifications that are due now, as the server's dispatcher does every few seconds.")
        @OptionGroup var data: DataOptions

        func run() async throws {
            let outcome = try await data.run { services in try await services.outbox.dispatcher().pass() }
            print("sent \(outcome.sent), failed attempts \(outcome.failed)")
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Queue a failed notification again for a fresh round of attempts.")
        @OptionGroup var data: DataOptions
        @Argument(help: "The message id (see `closeloop notify outbox --status failed`).") var id: String

        func run() async throws {
            let requeued = try await data.run { services in
                try await services.outbox.retry(id, by: .commandLine)
            }
            guard requeued else { throw ValidationError("no failed notification \(id)") }
            print("queued \(id) again")
        }
    }
}
