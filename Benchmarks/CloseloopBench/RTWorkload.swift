import Foundation
import NIOHTTP1
import Synchronization

/// The same intake, get and search workload against Request Tracker 5's REST2 API, driven as `bench.py --auth
/// cookie` drives it: each client signs in once through /NoAuth/Login.html (not timed) and sends its RT_SID cookie,
/// and every request carries a `Referer` of RT's own host, as its web UI's do: Debian's security update of
/// request-tracker5 (5.0.3+dfsg-3~deb12u7) refuses a cookie-authenticated REST2 write without one (HTTP 403, "Cross-site
/// request forgery protection"). What RT does is left as `../shared/peers/rt/setup.sh` configures it; only the driving
/// is ours.
struct RTWorkload: PeerWorkload {
    let system = PeerKind.rt.rawValue
    let title = "RT"
    let kinds: [WorkloadKind] = [.intake, .get, .searchChinese, .searchEnglish]
    let baseURL: String
    let queue: String
    let password: String
    let corpus: Corpus
    let seed: UInt64
    /// Tickets created by the intake phases, for get-by-id.
    let created = TicketList()

    /// Reads the peer's state written by setup.sh (port, queue, root password).
    static func fromState(directory: String = "/var/lib/rt-bench", corpus: Corpus, seed: UInt64) throws -> RTWorkload {
        func read(_ name: String) -> String? { PeerState.read(name, in: directory) }
        guard let password = read("root-password") else {
            throw BenchError.failed("no \(directory)/root-password: run ../shared/peers/rt/setup.sh as root first")
        }
        return RTWorkload(
            baseURL: "http://127.0.0.1:\(read("port") ?? "8089")", queue: read("queue") ?? "Complaints",
            password: password, corpus: corpus, seed: seed)
    }

    /// Signs in once per client and returns each client's headers: its cookie and the page it comes from.
    func signIn(clients: Int, session: HTTPSession) async throws -> [[(String, String)]] {
        var signedIn: [[(String, String)]] = []
        for _ in 0..<clients {
            let form =
                "user=root&pass=\(password.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? password)"
            let answer = try await session.send(
                .POST, "\(baseURL)/NoAuth/Login.html", headers: [("content-type", "application/x-www-form-urlencoded")],
                body: Data(form.utf8))
            guard
                let cookie = answer.headers["set-cookie"].first(where: { $0.hasPrefix("RT_SID_") })?
                    .split(separator: ";").first
            else { throw BenchError.failed("RT login failed: HTTP \(answer.status), no RT_SID cookie") }
            signedIn.append([("cookie", String(cookie)), ("referer", "\(baseURL)/"), ("accept", "application/json")])
        }
        return signedIn
    }

    func operation(_ kind: WorkloadKind, headers: [[(String, String)]], session: HTTPSession)
        -> (@Sendable (Int, Int) async -> String?)?
    {
        switch kind {
        case .intake: { client, index in await create(index, headers: headers[client], session: session) }
        case .get: { client, index in await get(index, headers: headers[client], session: session) }
        case .searchChinese: { client, index in await search(index, true, headers: headers[client], session: session) }
        case .searchEnglish: { client, index in await search(index, false, headers: headers[client], session: session) }
        case .queue, .page, .queueFull, .searchChineseFull, .searchEnglishFull, .intakeTwoInstances: nil
        }
    }

    func ticketCount(headers: [(String, String)], session: HTTPSession) async throws -> Int {
        var components = URLComponents(string: "\(baseURL)/REST/2.0/tickets")!
        components.queryItems = [
            URLQueryItem(name: "query", value: "Queue = '\(queue)'"), URLQueryItem(name: "per_page", value: "1"),
        ]
        let answer = try await session.send(.GET, components.string!, headers: headers)
        guard answer.status == 200,
            let object = try? JSONSerialization.jsonObject(with: answer.body) as? [String: Any],
            let total = (object["total"] ?? object["count"]) as? Int
        else { throw BenchError.failed("RT ticket count: HTTP \(answer.status)") }
        return total
    }

    private func create(_ index: Int, headers: [(String, String)], session: HTTPSession) async -> String? {
        var random = SeededRandom(seed: seed &+ 99, index: index)
        let text = corpus.text(using: &random)
        let ticket = [
            "Queue": queue, "Subject": text.subject, "Content": text.description, "ContentType": "text/plain",
        ]
        do {
            let answer = try await session.send(
                .POST, "\(baseURL)/REST/2.0/ticket",
                headers: headers + [("content-type", "application/json; charset=utf-8")],
                body: try JSONEncoder().encode(ticket))
            guard answer.status == 201 else { return "RT create: HTTP \(answer.status)" }
            if let object = try? JSONSerialization.jsonObject(with: answer.body) as? [String: Any],
                let id = object["id"]
            {
                created.append("\(id)")
            }
            return nil
        } catch {
            return "RT create: \(error)"
        }
    }

    private func get(_ index: Int, headers: [(String, String)], session: HTTPSession) async -> String? {
        guard let id = created.pick(index) else { return "RT get: no ticket created yet" }
        return await fetch("\(baseURL)/REST/2.0/ticket/\(id)", headers: headers, session: session)
    }

    /// RT has no full-text index in this setup; TicketSQL `Subject LIKE` (an ILIKE scan) is its search, as in bench.py.
    private func search(_ index: Int, _ chinese: Bool, headers: [(String, String)], session: HTTPSession) async
        -> String?
    {
        let term = SearchTerm.pick(index, chinese: chinese, corpus: corpus, seed: seed)
        let query = "Queue = '\(queue)' AND Subject LIKE '\(term.replacingOccurrences(of: "'", with: ""))'"
        var components = URLComponents(string: "\(baseURL)/REST/2.0/tickets")!
        components.queryItems = [
            URLQueryItem(name: "query", value: query), URLQueryItem(name: "per_page", value: "20"),
        ]
        return await fetch(components.string!, headers: headers, session: session)
    }
}

/// Ticket ids created so far, shared by the clients.
final class TicketList: Sendable {
    private let ids = Mutex<[String]>([])

    func append(_ id: String) { ids.withLock { $0.append(id) } }

    func pick(_ index: Int) -> String? {
        ids.withLock { list in list.isEmpty ? nil : list[(index &* 7919) % list.count] }
    }
}
