import Foundation
import NIOHTTP1

/// The same intake, get and search workload against django-helpdesk (`Benchmarks/peers/django-helpdesk`), driven as
/// a staff user's browser and its REST API client drive it: each client signs in once through Django's login form
/// (not timed) and sends its session cookie, with the CSRF token Django rotated at login on every write. Intake and
/// get go through the REST API; the API has no text search, so searches go through the staff ticket list's DataTables
/// endpoint, the request its list page makes. What django-helpdesk does is left as `setup.sh` configures it.
struct HelpdeskWorkload: PeerWorkload {
    let system = PeerKind.djangoHelpdesk.rawValue
    let title = "django-helpdesk"
    /// Get by id through the API and the ticket's staff page, as Closeloop's get by id and complaint page.
    let kinds: [WorkloadKind] = [.intake, .get, .page, .searchChinese, .searchEnglish]
    let baseURL: String
    let queueID: Int
    let user: String
    let password: String
    let corpus: Corpus
    let seed: UInt64
    /// Tickets created by the intake phases, for get-by-id.
    let created = TicketList()

    /// Reads the peer's state written by setup.sh (port, user, password, queue id).
    static func fromState(directory: String = "/var/lib/helpdesk-bench", corpus: Corpus, seed: UInt64) throws
        -> HelpdeskWorkload
    {
        func read(_ name: String) -> String? { PeerState.read(name, in: directory) }
        guard let password = read("password"), let queueID = read("queue-id").flatMap(Int.init) else {
            throw BenchError.failed(
                "no \(directory)/password or queue-id: run Benchmarks/peers/django-helpdesk/setup.sh as root first")
        }
        return HelpdeskWorkload(
            baseURL: "http://127.0.0.1:\(read("port") ?? "8090")", queueID: queueID, user: read("user") ?? "bench",
            password: password, corpus: corpus, seed: seed)
    }

    func signIn(clients: Int, session: HTTPSession) async throws -> [[(String, String)]] {
        var signedIn: [[(String, String)]] = []
        for _ in 0..<clients {
            let form = try await session.send(.GET, "\(baseURL)/login/")
            guard let csrf = Self.cookie("csrftoken", in: form.headers["set-cookie"]),
                let token = Self.formToken(in: form.body)
            else { throw BenchError.failed("django-helpdesk login form: HTTP \(form.status), no CSRF token") }
            let fields = [
                ("csrfmiddlewaretoken", token), ("username", user), ("password", password), ("next", "/tickets/"),
            ]
            let body = fields.map { "\($0)=\(Self.formEncoded($1))" }.joined(separator: "&")
            let answer = try await session.send(
                .POST, "\(baseURL)/login/",
                headers: [("content-type", "application/x-www-form-urlencoded"), ("cookie", "csrftoken=\(csrf)")],
                body: Data(body.utf8))
            // Django rotates the CSRF token at login: the new one goes with every later write.
            let cookies = answer.headers["set-cookie"]
            guard answer.status == 302, let sessionID = Self.cookie("sessionid", in: cookies) else {
                throw BenchError.failed("django-helpdesk login failed: HTTP \(answer.status), no sessionid cookie")
            }
            let rotated = Self.cookie("csrftoken", in: cookies) ?? csrf
            signedIn.append([
                ("cookie", "csrftoken=\(rotated); sessionid=\(sessionID)"), ("x-csrftoken", rotated),
                ("accept", "application/json"),
            ])
        }
        return signedIn
    }

    func operation(_ kind: WorkloadKind, headers: [[(String, String)]], session: HTTPSession)
        -> (@Sendable (Int, Int) async -> String?)?
    {
        switch kind {
        case .intake: { client, index in await create(index, headers: headers[client], session: session) }
        case .get: { client, index in await get(index, page: false, headers: headers[client], session: session) }
        case .page: { client, index in await get(index, page: true, headers: headers[client], session: session) }
        case .searchChinese: { client, index in await search(index, true, headers: headers[client], session: session) }
        case .searchEnglish: { client, index in await search(index, false, headers: headers[client], session: session) }
        case .queue, .queueFull, .searchChineseFull, .searchEnglishFull, .intakeTwoInstances: nil
        }
    }

    func ticketCount(headers: [(String, String)], session: HTTPSession) async throws -> Int {
        let answer = try await session.send(.GET, listURL(searching: ""), headers: headers)
        guard answer.status == 200,
            let object = try? JSONSerialization.jsonObject(with: answer.body) as? [String: Any],
            let total = object["recordsTotal"] as? Int
        else { throw BenchError.failed("django-helpdesk ticket count: HTTP \(answer.status)") }
        return total
    }

    private func create(_ index: Int, headers: [(String, String)], session: HTTPSession) async -> String? {
        var random = SeededRandom(seed: seed &+ 99, index: index)
        let text = corpus.text(using: &random)
        // Priority 3 is django-helpdesk's "normal"; the API requires one.
        let ticket: [String: Any] = [
            "queue": queueID, "title": text.subject, "description": text.description, "priority": 3,
        ]
        do {
            let answer = try await session.send(
                .POST, "\(baseURL)/api/tickets/",
                headers: headers + [("content-type", "application/json; charset=utf-8")],
                body: try JSONSerialization.data(withJSONObject: ticket))
            guard answer.status == 201 else { return "django-helpdesk create: HTTP \(answer.status)" }
            if let object = try? JSONSerialization.jsonObject(with: answer.body) as? [String: Any],
                let id = object["id"]
            {
                created.append("\(id)")
            }
            return nil
        } catch {
            return "django-helpdesk create: \(error)"
        }
    }

    /// The ticket through the REST API, or its staff page (`page`) as a browser opens it.
    private func get(_ index: Int, page: Bool, headers: [(String, String)], session: HTTPSession) async -> String? {
        guard let id = created.pick(index) else { return "django-helpdesk get: no ticket created yet" }
        return await fetch(
            page ? "\(baseURL)/tickets/\(id)/" : "\(baseURL)/api/tickets/\(id)/", headers: headers,
            session: session)
    }

    private func search(_ index: Int, _ chinese: Bool, headers: [(String, String)], session: HTTPSession) async
        -> String?
    {
        let term = SearchTerm.pick(index, chinese: chinese, corpus: corpus, seed: seed)
        return await fetch(listURL(searching: term), headers: headers, session: session)
    }

    /// The staff list's DataTables request for the newest 25 tickets matching `term`: the query travels as base64 of
    /// the JSON its list page builds (`helpdesk.query.query_to_base64`), newest first as when sorted by "Created".
    private func listURL(searching term: String) -> String {
        let query: [String: Any] = [
            "filtering": [String: String](), "filtering_null": [String: String](), "sorting": "created",
            "sortreverse": NSNull(), "search_string": term,
        ]
        let encoded = (try? JSONSerialization.data(withJSONObject: query))?.base64EncodedString() ?? ""
        return "\(baseURL)/datatables_ticket_list/\(encoded)?draw=1&start=0&length=25"
            + "&order%5B0%5D%5Bcolumn%5D=5&order%5B0%5D%5Bdir%5D=desc"
    }

    /// A cookie's value among `Set-Cookie` headers.
    static func cookie(_ name: String, in setCookies: [String]) -> String? {
        for header in setCookies {
            let pair = header.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name { return String(parts[1]) }
        }
        return nil
    }

    /// The hidden `csrfmiddlewaretoken` of Django's login form.
    static func formToken(in page: Data) -> String? {
        let html = String(decoding: page, as: UTF8.self)
        guard let name = html.range(of: "name=\"csrfmiddlewaretoken\" value=\""),
            let end = html[name.upperBound...].firstIndex(of: "\"")
        else { return nil }
        return String(html[name.upperBound..<end])
    }

    private static func formEncoded(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value
    }
}
