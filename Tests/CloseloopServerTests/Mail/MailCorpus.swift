import Foundation

#if canImport(CoreFoundation)
    import CoreFoundation
#endif

/// Messages in the shapes real clients send them, built by the tests (issue 13): Foxmail's GBK labelled gb2312 with
/// an RFC 2047 attachment name, Outlook's multipart/alternative with an HTML part, QQ Mail's replies quoting the
/// original, Gmail's UTF-8 with an RFC 2231 name, an HTML-only message, auto-replies and bounces.
enum MailCorpus {
    static func gbk(_ text: String) -> Data {
        let encoding = String.Encoding(
            rawValue: CFStringConvertEncodingToNSStringEncoding(UInt32(CFStringEncodings.GB_18030_2000.rawValue)))
        return text.data(using: encoding)!
    }

    static func base64(_ data: Data) -> String { data.base64EncodedString() }

    static func encodedWord(_ text: String) -> String { "=?GBK?B?\(base64(gbk(text)))?=" }

    static func headers(
        from: String, subject: String, messageID: String, extra: [String] = []
    ) -> [String] {
        [
            "From: \(from)", "To: kefu@shop.example.cn", "Subject: \(subject)", "Message-ID: <\(messageID)>",
            "Date: Wed, 15 Apr 2026 10:02:11 +0800", "MIME-Version: 1.0",
        ] + extra
    }

    static func assemble(_ headers: [String], _ body: Data) -> Data {
        Data((headers.joined(separator: "\r\n") + "\r\n\r\n").utf8) + body
    }

    /// Foxmail: GBK text declared gb2312 (it holds 镕, outside GB2312), a photo named in RFC 2047.
    static func foxmail(messageID: String = "fm-1@foxmail.com", from: String = "zhang.wei@example.cn") -> Data {
        let text = "你好：\r\n朱镕基路店买的冰箱不制冷，已经三天了，要求上门维修。\r\n订单号 SO-2026-04-0412\r\n"
        let photo = Data([0xFF, 0xD8, 0xFF, 0xE0] + Array(repeating: UInt8(7), count: 300))
        let body =
            "--=====fm=====\r\nContent-Type: text/plain; charset=\"gb2312\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + base64(gbk(text))
            + "\r\n--=====fm=====\r\nContent-Type: image/jpeg; name=\"\(encodedWord("冰箱照片.jpg"))\"\r\n"
            + "Content-Disposition: attachment; filename=\"\(encodedWord("冰箱照片.jpg"))\"\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\n" + base64(photo) + "\r\n--=====fm=====--\r\n"
        return assemble(
            headers(
                from: "\"\(encodedWord("张伟"))\" <\(from)>", subject: encodedWord("冰箱不制冷，要求维修"),
                messageID: messageID,
                extra: ["X-Mailer: Foxmail 7.2", "Content-Type: multipart/mixed; boundary=\"=====fm=====\""]),
            Data(body.utf8))
    }

    /// Outlook: multipart/alternative, quoted-printable UTF-8 plain part and an HTML part.
    static func outlook(subject: String, text: String, messageID: String, from: String, extra: [String] = []) -> Data {
        let body =
            "--alt\r\nContent-Type: text/plain; charset=\"utf-8\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + base64(Data(text.utf8))
            + "\r\n--alt\r\nContent-Type: text/html; charset=\"utf-8\"\r\n\r\n<html><body><p>"
            + text.replacingOccurrences(of: "\n", with: "<br>") + "</p></body></html>\r\n--alt--\r\n"
        return assemble(
            headers(
                from: from, subject: "=?utf-8?B?\(base64(Data(subject.utf8)))?=", messageID: messageID,
                extra: extra + ["Content-Type: multipart/alternative; boundary=\"alt\""]),
            Data(body.utf8))
    }

    /// A QQ Mail reply: the answer above the quoted original.
    static func qqReply(
        to inReplyTo: String?, subject: String, answer: String, messageID: String, from: String
    ) -> Data {
        let text = "\(answer)\r\n\r\n------------------ 原始邮件 ------------------\r\n发件人: kefu\r\n> 您的投诉已受理\r\n"
        var extra = ["Content-Type: text/plain; charset=\"utf-8\"", "Content-Transfer-Encoding: 8bit"]
        if let inReplyTo { extra += ["In-Reply-To: <\(inReplyTo)>", "References: <\(inReplyTo)>"] }
        return assemble(
            headers(
                from: from, subject: "=?utf-8?B?\(base64(Data(subject.utf8)))?=", messageID: messageID, extra: extra),
            Data(text.utf8))
    }

    /// An out-of-office answer to one of our messages.
    static func autoReply(messageID: String) -> Data {
        assemble(
            headers(
                from: "zhang.wei@example.cn", subject: "Automatic reply: 您的投诉已受理", messageID: messageID,
                extra: ["Auto-Submitted: auto-replied", "Content-Type: text/plain; charset=utf-8"]),
            Data("我正在休假，4月20日返回。".utf8))
    }

    /// A bounce: multipart/report from the mailer daemon.
    static func bounce(messageID: String) -> Data {
        let body =
            "--r\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n--r\r\nContent-Type: message/delivery-status\r\n\r\n"
            + "Status: 5.1.1\r\n--r--\r\n"
        return assemble(
            headers(
                from: "MAILER-DAEMON@mx.example.cn", subject: "Undelivered Mail Returned to Sender",
                messageID: messageID,
                extra: ["Content-Type: multipart/report; report-type=delivery-status; boundary=\"r\""]),
            Data(body.utf8))
    }
}
