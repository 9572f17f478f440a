import Foundation
import NIOHTTP1

/// A peer ticket system driven with Closeloop's intake, get and search workload, the same texts and terms: Request
/// Tracker 5 (`RTWorkload`) and django-helpdesk (`HelpdeskWorkload`). Each client signs in once, untimed, and sends
/// its own headers (session cookie, CSRF token) with every request.
protocol PeerWorkload: Sendable {
    /// The peer's name in the results and on the command line: `rt`, `django-helpdesk`.
    var system: String { get }
    /// What the comparison and the problems call it.
    var title: String { get }

    /// The workloads it has a counterpart of, in the order they run (intake first: the others read what it made).
    var kinds: [WorkloadKind] { get }

    /// Signs in once per client; each client's headers for every request.
    func signIn(clients: Int, session: HTTPSession) async throws -> [[(String, String)]]

    /// How many tickets a search looks through: a search of an empty peer measures nothing worth comparing.
    func ticketCount(headers: [(String, String)], session: HTTPSession) async throws -> Int

    /// One operation of a workload for `LoadPhase`; nil for one not in `kinds`.
    func operation(_ kind: WorkloadKind, headers: [[(String, String)]], session: HTTPSession)
        -> (@Sendable (Int, Int) async -> String?)?
}

/// The peers `--peer` names, and where each one's setup script is by default.
enum PeerKind: String, CaseIterable, Sendable {
    case rt
    case djangoHelpdesk = "django-helpdesk"

    var defaultSetup: String {
        switch self {
        case .rt: "../shared/peers/rt/setup.sh"
        case .djangoHelpdesk: "Benchmarks/peers/django-helpdesk/setup.sh"
        }
    }
}

extension PeerWorkload {
    /// GETs `url`: nil when it answered 200, else what went wrong, named after the peer.
    func fetch(_ url: String, headers: [(String, String)], session: HTTPSession) async -> String? {
        do {
            let answer = try await session.send(.GET, url, headers: headers)
            return answer.status == 200 ? nil : "\(title) GET: HTTP \(answer.status)"
        } catch {
            return "\(title) GET: \(error)"
        }
    }
}

/// What a peer's setup script left in its state folder (port, password, queue).
enum PeerState {
    /// The file's text without its line end, or nil when there is none.
    static func read(_ name: String, in directory: String) -> String? {
        (try? String(contentsOfFile: "\(directory)/\(name)", encoding: .utf8))?.trimmingCharacters(
            in: .whitespacesAndNewlines)
    }
}
