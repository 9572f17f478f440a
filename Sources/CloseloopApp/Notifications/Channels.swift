import AsyncHTTPClient
import CloseloopCore
import CloseloopStore
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import Subprocess
import SystemPackage

/// Delivers one outbox message on its channel; throws when the receiver did not take it.
protocol DeliveryChannel: Sendable {
    func deliver(_ message: OutboxMessage, secret: String?, at now: Date) async throws
}

/// A delivery the receiver refused, in words for the outbox's `last_error`. A permanent refusal (an SMTP 5xx, a
/// relay without STARTTLS) is not retried: the next attempt would only be refused again.
struct DeliveryError: Error, CustomStringConvertible {
    var description: String
    var permanent = false
}

/// Email through the local `sendmail -t -i`.
struct SendmailChannel: DeliveryChannel {
    let path: String
    let from: String
    /// How long sendmail may take before it is killed and the attempt counted failed: a sendmail that hangs (a
    /// queue on a stuck disk, an msmtp waiting on a dead relay) would otherwise hold the dispatcher, and every
    /// message behind it, for as long as it hangs.
    var timeout: Duration = .seconds(60)

    func deliver(_ message: OutboxMessage, secret: String?, at now: Date) async throws {
        let mail = MailMessage.compose(message, from: from, at: now)
        // A missing or unusable sendmail is a setting to fix, said in words (not Foundation's error domain).
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw DeliveryError(
                description: "no sendmail program at \(path): install an MTA or set an SMTP relay under Delivery")
        }
        // The message reaches sendmail as a file, not through a pipe Subprocess writes: a sendmail that exits before
        // reading it all (or is stopped at shutdown) made Subprocess's pipe writer trap and take the server down
        // (swift-subprocess issue 367).
        let (path, from) = (path, from)
        // Past the limit the run is cancelled, which kills sendmail (Subprocess's teardown ends with SIGKILL).
        let result = try await withTimeLimit(timeout) {
            do {
                let input = try Self.unlinkedFile(holding: mail)
                return try await Subprocess.run(
                    .path(FilePath(path)), arguments: ["-t", "-i", "-f", from],
                    input: .fileDescriptor(input, closeAfterSpawningProcess: true), output: .discarded,
                    error: .string(limit: 64 * 1024))
            } catch {
                if Task.isCancelled { throw error }
                throw DeliveryError(description: "sendmail at \(path) could not be run: \(error)")
            }
        }
        guard let result else {
            throw DeliveryError(description: "sendmail at \(path) did not finish within \(timeout), and was stopped")
        }
        guard result.terminationStatus.isSuccess else {
            let detail = result.standardError.prefix(300)
            throw DeliveryError(description: "sendmail \(ChildExit.words(result.terminationStatus)): \(detail)")
        }
    }
}

extension SendmailChannel {
    /// A temporary file holding `text`, readable by its descriptor alone, positioned at its start: the name is gone
    /// before anyone else could open it (the mail holds a customer's details), and the file with the descriptor.
    static func unlinkedFile(holding text: String) throws -> SystemPackage.FileDescriptor {
        let path = FilePath(
            FileManager.default.temporaryDirectory.appendingPathComponent("closeloop-mail-\(UUID())").path)
        let file = try SystemPackage.FileDescriptor.open(
            path, .readWrite, options: [.create, .exclusiveCreate], permissions: [.ownerReadWrite])
        do {
            try FileManager.default.removeItem(atPath: path.string)
            _ = try file.writeAll(Array(text.utf8))
            _ = try file.seek(offset: 0, from: .start)
            return file
        } catch {
            try? file.close()
            throw error
        }
    }
}

/// The HTTP channels: group robots (DingTalk, WeCom, Feishu, Slack-compatible), the generic signed JSON webhook
/// and the SMS gateway. Each names its message format and signing.
struct HTTPChannel: DeliveryChannel {
    enum Kind: String { case dingtalk, wecom, feishu, slack, webhook, sms }

    let kind: Kind
    let client: HTTPClient
    var smsGatewayURL: String?
    var smsGatewayToken: String?

    func deliver(_ message: OutboxMessage, secret: String?, at now: Date) async throws {
        let milliseconds = Int64((now.timeIntervalSince1970 * 1000).rounded())
        var url = message.recipient
        var headers = HTTPHeaders([("Content-Type", "application/json; charset=utf-8")])
        let text = message.body
        var payload: [String: Any]
        switch kind {
        case .dingtalk:
            // DingTalk: HMAC-SHA256 of "timestamp\nsecret" keyed by the secret, base64, as query parameters.
            payload = ["msgtype": "text", "text": ["content": text]]
            if let secret {
                let sign = Self.hmacBase64(key: secret, data: "\(milliseconds)\n\(secret)")
                url += (url.contains("?") ? "&" : "?") + "timestamp=\(milliseconds)&sign=\(FormEncoding.encode(sign))"
            }
        case .wecom:
            payload = ["msgtype": "text", "text": ["content": text]]
        case .feishu:
            // Feishu: HMAC-SHA256 keyed by "timestamp\nsecret" over nothing, base64, in the body (seconds).
            payload = ["msg_type": "text", "content": ["text": text]]
            if let secret {
                let seconds = milliseconds / 1000
                payload["timestamp"] = "\(seconds)"
                payload["sign"] = Self.hmacBase64(key: "\(seconds)\n\(secret)", data: "")
            }
        case .slack:
            payload = ["text": text]
        case .webhook:
            payload = [
                "id": message.id, "topic": message.topic, "complaintId": message.complaintID?.rawValue as Any,
                "subject": message.subject, "body": message.body,
                "createdAt": ISO8601DateFormatter().string(from: message.createdAt),
            ]
        case .sms:
            guard let gateway = smsGatewayURL else { throw DeliveryError(description: "no SMS gateway is set up") }
            url = gateway
            payload = ["to": message.recipient, "text": text]
            if let token = smsGatewayToken { headers.add(name: "Authorization", value: "Bearer \(token)") }
        }
        let body = try JSONSerialization.data(
            withJSONObject: payload.compactMapValues { $0 is NSNull ? nil : $0 }, options: [.sortedKeys])
        if kind == .webhook {
            // The generic webhook: HMAC-SHA256 over "timestamp.body", so the receiver can check origin and age.
            headers.add(name: "X-Closeloop-Timestamp", value: "\(milliseconds)")
            headers.add(name: "Idempotency-Key", value: message.id)
            if let secret {
                let signature = HMAC<SHA256>.authenticationCode(
                    for: Data("\(milliseconds).".utf8) + body, using: SymmetricKey(data: Data(secret.utf8)))
                headers.add(
                    name: "X-Closeloop-Signature",
                    value: "sha256=" + Digest.hex(signature))
            }
        }
        let answer = try await Self.post(body, to: url, headers: headers, client: client)
        // The robots answer 200 with an error code in the body when they refuse a message.
        if let object = try? JSONSerialization.jsonObject(with: Data(answer.readableBytesView)) as? [String: Any] {
            let code = (object["errcode"] ?? object["code"] ?? object["StatusCode"]) as? Int
            if let code, code != 0 {
                throw DeliveryError(description: "refused with code \(code): \(String(buffer: answer).prefix(300))")
            }
        }
    }

    /// POSTs `body` and returns the answer; a transport failure or a status other than 2xx throws, in words.
    static func post(_ body: Data, to url: String, headers: HTTPHeaders, client: HTTPClient) async throws -> ByteBuffer
    {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers = headers
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await client.execute(request, timeout: .seconds(15))
        let answer = try await response.body.collect(upTo: 64 * 1024)
        guard (200..<300).contains(response.status.code) else {
            throw DeliveryError(description: "HTTP \(response.status.code): \(String(buffer: answer).prefix(300))")
        }
        return answer
    }

    static func hmacBase64(key: String, data: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data(data.utf8), using: SymmetricKey(data: Data(key.utf8)))
        return Data(code).base64EncodedString()
    }
}
