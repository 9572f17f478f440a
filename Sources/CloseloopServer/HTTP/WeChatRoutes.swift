import CloseloopApp
import Foundation
import Hummingbird

/// The URL a WeChat official account is configured with (服务器配置 › URL: `https://…/wechat/<name>`): GET is
/// WeChat's check that the server holds the token (it echoes `echostr`), POST pushes a follower's message and is
/// answered with the passive reply. Both are signed in the query; anything unsigned is refused before the body is
/// read.
struct WeChatRoutes {
    let weChat: WeChatIntake
    /// WeChat's messages are a few hundred bytes; anything far larger is not one.
    static let bodyLimit = 64 << 10

    func register(on router: Router<AppRequestContext>) {
        router.get("/wechat/:account") { request, context -> Response in
            let query = request.uri.queryParameters
            guard
                await account(request, context) != nil, let echo = query["echostr"].map(String.init),
                echo.count <= 200
            else { return Self.refused }
            return Response(
                status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: echo)))
        }
        router.post("/wechat/:account") { request, context -> Response in
            guard let account = await account(request, context) else { return Self.refused }
            var request = request
            let body: ByteBuffer
            do {
                body = try await request.collectBody(upTo: Self.bodyLimit)
            } catch {
                return Response(status: .contentTooLarge)
            }
            let answer = try await weChat.receive(Data(body.readableBytesView), account: account)
            let type = answer == "success" ? "text/plain; charset=utf-8" : "application/xml; charset=utf-8"
            return Response(
                status: .ok, headers: [.contentType: type], body: ResponseBody(byteBuffer: ByteBuffer(string: answer)))
        }
    }

    private func account(_ request: Request, _ context: AppRequestContext) async -> WeChatSettings.Account? {
        let query = request.uri.queryParameters
        return await weChat.account(
            named: context.parameters.get("account") ?? "", signature: query["signature"].map(String.init),
            timestamp: query["timestamp"].map(String.init), nonce: query["nonce"].map(String.init))
    }

    /// One answer for an unknown account and a wrong signature, so accounts cannot be probed.
    static var refused: Response {
        Response(
            status: .forbidden, headers: [.contentType: "text/plain; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: "signature check failed")))
    }
}
