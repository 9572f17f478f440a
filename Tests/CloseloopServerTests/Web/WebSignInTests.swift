@_spi(Tools) import CloseloopApp
import CloseloopCore
import CloseloopServer
import CloseloopStore
import CloseloopTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Signing in and out of the staff pages: sessions in the database, CSRF on every form, failed attempts limited.
@Suite("Web sign-in")
struct WebSignInTests {
    @Test("A staff member signs in, lands on their queue, and signs out again", arguments: DatabaseKind.available)
    func signInAndOut(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let browser = WebBrowser(server)
            let form = try await browser.get("/login")
            #expect(form.status == .ok)
            #expect(form.contains("<html lang=\"zh-CN\">"))
            #expect(form.contains("员工登录"))
            let queue = try await browser.signIn(Staff.agent)
            #expect(queue.status == .ok)
            #expect(queue.contains("我的投诉"))
            #expect(queue.contains("张伟"))
            let session = try #require(await browser.cookies["cl_session"])
            #expect(session.count >= 40)

            let signOut = try await browser.post("/logout", [])
            #expect(signOut.status == .seeOther)
            #expect(signOut.location == "/login")
            // The old cookie is dead on the server, not only forgotten by the browser.
            await browser.setCookie("cl_session", session)
            let after = try await browser.get("/queue")
            #expect(after.status == .seeOther)
            #expect(after.location?.hasPrefix("/login") == true)
        }
    }

    @Test("The session cookie cannot be read by scripts or sent by other sites", arguments: [DatabaseKind.sqlite])
    func cookieFlags(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let browser = WebBrowser(server)
            try await browser.get("/login")
            let answer = try await browser.post("/login", [("username", Staff.agent), ("password", Staff.password)])
            let cookie = try #require(answer.headers[values: .setCookie].first { $0.hasPrefix("cl_session=") })
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
        }
    }

    @Test("A wrong password keeps the user on the sign-in page with a message in their language")
    func wrongPassword() async throws {
        try await withServer(.sqlite) { server in
            let browser = WebBrowser(server)
            try await browser.get("/login")
            let chinese = try await browser.post("/login", [("username", Staff.agent), ("password", "wrong")])
            #expect(chinese.status == .unauthorized)
            #expect(chinese.contains("用户名或密码错误"))
            #expect(chinese.inputValue("username") == Staff.agent)
            #expect(await browser.cookies["cl_session"] == nil)

            let english = WebBrowser(server, acceptLanguage: "en-GB,en;q=0.9")
            try await english.get("/login")
            let page = try await english.post("/login", [("username", "nobody-at-all"), ("password", "x")])
            #expect(page.status == .unauthorized)
            #expect(page.contains("Wrong username or password"))
            #expect(page.contains("<html lang=\"en\">"))
        }
    }

    @Test("After five wrong passwords even the right one is refused for a while")
    func rateLimited() async throws {
        try await withServer(.sqlite) { server in
            let browser = WebBrowser(server)
            try await browser.get("/login")
            for _ in 0..<5 {
                let page = try await browser.post("/login", [("username", Staff.agent), ("password", "guess")])
                #expect(page.status == .unauthorized)
            }
            let refused = try await browser.post("/login", [("username", Staff.agent), ("password", Staff.password)])
            #expect(refused.status == .tooManyRequests)
            #expect(refused.contains("失败次数过多"))
            server.time.advance(by: 301)
            let accepted = try await browser.post("/login", [("username", Staff.agent), ("password", Staff.password)])
            #expect(accepted.status == .seeOther)
        }
    }

    @Test("A form without its CSRF token is refused before anything happens")
    func csrfRequired() async throws {
        try await withServer(.sqlite) { server in
            let browser = WebBrowser(server)
            try await browser.get("/login")
            let forged = try await browser.post(
                "/login", [("username", Staff.agent), ("password", Staff.password)], csrf: "")
            #expect(forged.status == .forbidden)
            #expect(forged.contains("表单已过期"))
            try await browser.signIn(Staff.agent)
            let wrongToken = try await browser.post("/logout", [], csrf: String(repeating: "x", count: 43))
            #expect(wrongToken.status == .forbidden)
            #expect(try await browser.get("/queue").status == .ok)
        }
    }

    @Test("Sign-in returns to the page asked for, but never to another site")
    func returnsToSafePath() async throws {
        try await withServer(.sqlite) { server in
            let browser = WebBrowser(server)
            let bounced = try await browser.get("/queue?view=due")
            #expect(bounced.location == "/login?next=%2Fqueue%3Fview%3Ddue")
            try await browser.get(try #require(bounced.location))
            let back = try await browser.post(
                "/login", [("username", Staff.agent), ("password", Staff.password), ("next", "/queue?view=due")])
            #expect(back.location == "/queue?view=due")

            let other = WebBrowser(server)
            try await other.get("/login")
            let offsite = try await other.post(
                "/login", [("username", Staff.agent), ("password", Staff.password), ("next", "//evil.example/")])
            #expect(offsite.location == "/queue")
        }
    }

    @Test("The language switch is remembered on the user", arguments: DatabaseKind.available)
    func languageSwitch(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let browser = WebBrowser(server)
            try await browser.signIn(Staff.agent)
            let switched = try await browser.post("/language", [("language", "en"), ("next", "/queue")])
            #expect(switched.location == "/queue")
            let page = try await browser.get("/queue")
            #expect(page.contains("My complaints"))
            let user = try #require(try await server.services.store.user(username: Staff.agent))
            #expect(user.language == .en)
            // A new browser without the language cookie still gets English once signed in.
            let elsewhere = WebBrowser(server)
            let queue = try await elsewhere.signIn(Staff.agent)
            #expect(queue.contains("My complaints"))
        }
    }
}

@Suite("Web errors")
struct WebErrorPageTests {
    @Test("An unknown page is a 404 page in the user's language; an unknown API path stays JSON")
    func notFound() async throws {
        try await withServer(.sqlite) { server in
            let english = WebBrowser(server, acceptLanguage: "en")
            let page = try await english.get("/no/such/page")
            #expect(page.status == .notFound)
            #expect(page.contains("Not found"))
            #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
            let api = try await server.send(.get, "/no-such-endpoint", as: Staff.agent)
            #expect(api.status == .notFound)
            #expect(api.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            // Below a known address too, and with the signed-in user's session.
            let agent = WebBrowser(server)
            try await agent.signIn(Staff.agent)
            for path in ["/queue/nothing", "/complaints/260408001/nothing", "/admin/nothing", "/portal/nothing"] {
                let missing = try await agent.get(path)
                #expect(missing.status == .notFound, "\(path)")
                #expect(missing.contains("找不到页面"), "\(path)")
                #expect(missing.contains("张伟"), "\(path)")
            }
        }
    }

    @Test("The language switch returns to the same queue with its filters, and to the complaint after a failed form")
    func languageSwitchReturnsHere() async throws {
        try await withServer(.sqlite) { server in
            let created = try await server.createComplaint()
            let agent = WebBrowser(server)
            try await agent.signIn(Staff.agent)
            let queue = try await agent.get("/queue?view=all&q=" + WebBrowser.encode("空调"))
            #expect(queue.inputValue("next") == "/queue?view=all&q=%E7%A9%BA%E8%B0%83")
            let page = try await agent.get("/complaints/\(created.number)")
            let failed = try await agent.post(
                "/complaints/\(created.number)/actions/add_note",
                [("version", try #require(page.inputValue("version"))), ("text", "")])
            #expect(failed.status == .unprocessableContent)
            #expect(failed.inputValue("next") == "/complaints/\(created.number)")
        }
    }

    @Test("Pages send headers that keep them out of frames and caches")
    func securityHeaders() async throws {
        try await withServer(.sqlite) { server in
            let page = try await WebBrowser(server).get("/login")
            #expect(page.headers[.init("X-Frame-Options")!] == "DENY")
            #expect(page.headers[.init("Content-Security-Policy")!]?.contains("frame-ancestors 'none'") == true)
            #expect(page.headers[.cacheControl] == "no-store")
        }
    }
}
