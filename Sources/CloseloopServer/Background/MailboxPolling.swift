import CloseloopApp
import Foundation
import Logging
import ServiceLifecycle

/// Reads the complaints mailbox every poll interval of its settings while polling is enabled, and takes up mail whose
/// handling was cut short (by a crash or a lost database) however it arrived.
struct MailboxPolling: Service {
    let mailbox: MailboxPoller
    let mail: MailIntake
    let settings: LoopSettings
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let read = try await OperationalMetrics.pass("mailbox") { try await mailbox.poll() }
                    if let pass = read, pass.taken + pass.refused > 0 {
                        logger.info(
                            "mailbox read", metadata: ["taken": "\(pass.taken)", "refused": "\(pass.refused)"])
                    }
                } catch {
                    logger.error("reading the mailbox failed", metadata: ["error": "\(error)"])
                }
                do {
                    try await mail.resumeStalled()
                } catch {
                    logger.error("taking up stalled mail failed", metadata: ["error": "\(error)"])
                }
                // A change of the settings takes effect at the next round.
                let seconds = await settings.mailboxSettings().pollSeconds
                guard (try? await Task.sleep(for: .seconds(seconds))) != nil else { return }
            }
        }
    }
}
