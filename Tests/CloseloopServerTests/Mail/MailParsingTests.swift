import Foundation
import Testing

@testable import CloseloopApp

#if canImport(CoreFoundation)
    import CoreFoundation
#endif

/// Mail as Chinese customers' clients send it (issue 13), read right: charsets labelled wrongly or not at all, words
/// encoded in headers and split across words, file names in both RFC 2047 and RFC 2231, HTML-only bodies, inline
/// images, and machines' mail told apart from people's.
@Suite("Reading email")
struct MailParsingTests {
    static func encoded(_ text: String, _ cf: CFStringEncodings) -> [UInt8] {
        let encoding = String.Encoding(rawValue: CFStringConvertEncodingToNSStringEncoding(UInt32(cf.rawValue)))
        return Array(text.data(using: encoding)!)
    }

    static func gbk(_ text: String) -> [UInt8] { encoded(text, .GB_18030_2000) }
    static func big5(_ text: String) -> [UInt8] { encoded(text, .big5_HKSCS_1999) }
    static func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }

    /// A message from header lines and a body, CRLF line ends as on the wire.
    static func message(_ headers: [String], _ body: [UInt8]) -> Data {
        Data((headers.joined(separator: "\r\n") + "\r\n\r\n").utf8) + Data(body)
    }

    static let sender = "From: =?GBK?B?\(base64(gbk("张伟")))?= <zhang.wei@example.cn>"

    @Test("GBK text labelled gb2312, with characters outside GB2312, reads as written")
    func gbkLabelledGB2312() throws {
        let body = "朱镕基同志、陶喆的歌：退款还没到账。"
        let mail = try ParsedMail.parse(
            Self.message(
                [
                    Self.sender, "Subject: test", "Content-Type: text/plain; charset=gb2312",
                    "Content-Transfer-Encoding: 8bit",
                ], Self.gbk(body)))
        #expect(mail.text == body)
        #expect(mail.from == .init(name: "张伟", address: "zhang.wei@example.cn"))
    }

    @Test("A subject's character split across two encoded words is joined before it is decoded (QQ Mail)")
    func splitEncodedWords() throws {
        let bytes = Self.gbk("冰箱不制冷，要求退货")
        let first = Array(bytes[0..<5])  // cuts the third character in half
        let second = Array(bytes[5...])
        let subject = "Subject: =?GBK?B?\(Self.base64(first))?=\r\n =?GBK?B?\(Self.base64(second))?= (urgent)"
        let mail = try ParsedMail.parse(Self.message([Self.sender, subject], Array("x".utf8)))
        #expect(mail.subject == "冰箱不制冷，要求退货 (urgent)")
    }

    @Test("Quoted-printable encoded words, underscores as spaces, and raw UTF-8 in a header")
    func qEncoding() throws {
        let mail = try ParsedMail.parse(
            Self.message(
                ["From: \"李 娜\" <li.na@example.cn>", "Subject: =?UTF-8?Q?=E9=80=80=E6=AC=BE_refund?= 申请"],
                Array("x".utf8)))
        #expect(mail.subject == "退款 refund 申请")
        #expect(mail.from?.name == "李 娜")
    }

    @Test("Attachment names in RFC 2047 (QQ Mail, Foxmail) and in RFC 2231 continuations (Thunderbird, Gmail)")
    func attachmentNames() throws {
        let rfc2047 = "=?gb18030?B?\(Self.base64(Self.gbk("发票照片.jpg")))?="
        let body = """
            --b1\r
            Content-Type: text/plain; charset=utf-8\r
            \r
            见附件。\r
            --b1\r
            Content-Type: image/jpeg; name="\(rfc2047)"\r
            Content-Disposition: attachment; filename="\(rfc2047)"\r
            Content-Transfer-Encoding: base64\r
            \r
            \(Self.base64([0xFF, 0xD8, 0xFF, 0xE0]))\r
            --b1\r
            Content-Type: application/pdf\r
            Content-Disposition: attachment;\r
             filename*0*=UTF-8''%E5%8F%91%E7%A5%A8;\r
             filename*1*=%E5%9B%BE.pdf\r
            Content-Transfer-Encoding: base64\r
            \r
            \(Self.base64(Array("%PDF-1.4".utf8)))\r
            --b1--\r

            """
        let mail = try ParsedMail.parse(
            Self.message(
                [Self.sender, "Subject: s", "Content-Type: multipart/mixed; boundary=\"b1\""], Array(body.utf8)))
        #expect(mail.text == "见附件。")
        #expect(mail.attachments.map(\.fileName) == ["发票照片.jpg", "发票图.pdf"])
        #expect(mail.attachments.first?.data == Data([0xFF, 0xD8, 0xFF, 0xE0]))
        #expect(mail.attachments.last?.data == Data("%PDF-1.4".utf8))
    }

    @Test("An HTML-only body becomes readable text; its style and comments do not")
    func htmlOnly() throws {
        let html = """
            <html><head><style>p{color:red}</style></head><body><!--[if mso]><p>x</p><![endif]-->\
            <p>您好，</p><p>空调&nbsp;噪音很大<br>已经修了两次&hellip;</p><ul><li>第一次</li><li>第二次</li></ul>\
            <p>A &amp; B &#x4F60;</p></body></html>
            """
        let qp = TransferEncodingFixture.quotedPrintable(Array(html.utf8))
        let mail = try ParsedMail.parse(
            Self.message(
                [
                    Self.sender, "Subject: s", "Content-Type: text/html; charset=\"utf-8\"",
                    "Content-Transfer-Encoding: quoted-printable",
                ], qp))
        #expect(mail.text == "您好，\n\n空调 噪音很大\n已经修了两次…\n\n• 第一次\n• 第二次\n\nA & B 你")
        #expect(mail.html == html)
    }

    @Test("multipart/alternative reads the plain part; an inline image in multipart/related is kept with its id")
    func alternativeAndRelated() throws {
        let body = """
            --outer\r
            Content-Type: multipart/alternative; boundary=inner\r
            \r
            --inner\r
            Content-Type: text/plain; charset=utf-8\r
            \r
            纯文本正文\r
            --inner\r
            Content-Type: text/html; charset=utf-8\r
            \r
            <p>HTML 正文 <img src="cid:photo1@qq.com"></p>\r
            --inner--\r
            --outer\r
            Content-Type: image/png\r
            Content-ID: <photo1@qq.com>\r
            Content-Transfer-Encoding: base64\r
            \r
            iVBORw0KGgo=\r
            --outer--\r

            """
        let mail = try ParsedMail.parse(
            Self.message(
                [Self.sender, "Subject: s", "Content-Type: multipart/related; boundary=outer"], Array(body.utf8)))
        #expect(mail.text == "纯文本正文")
        #expect(mail.html?.contains("HTML 正文") == true)
        let image = try #require(mail.attachments.first)
        #expect(image.inline && image.contentID == "photo1@qq.com" && image.fileName == "attachment.png")
        #expect(image.data.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))
    }

    @Test(
        "Big5, undeclared GBK and UTF-8 mislabelled as gb2312 each read right",
        arguments: [
            ("big5", Self.big5("冷氣機漏水，請儘快處理。"), "冷氣機漏水，請儘快處理。"),
            (nil, Self.gbk("洗衣机滚筒异响，师傅一直没有上门。"), "洗衣机滚筒异响，师傅一直没有上门。"),
            ("gb2312", Array("快递把包裹放在门口被偷了".utf8), "快递把包裹放在门口被偷了"),
            ("utf-8", Self.gbk("标错了字符集的国标码"), "标错了字符集的国标码"),
        ] as [(String?, [UInt8], String)])
    func charsets(declared: String?, bytes: [UInt8], expected: String) throws {
        let type = declared.map { "Content-Type: text/plain; charset=\($0)" } ?? "Content-Type: text/plain"
        let mail = try ParsedMail.parse(Self.message([Self.sender, "Subject: s", type], bytes))
        #expect(mail.text == expected)
    }

    @Test(
        "Auto-replies, bounces and list mail are told apart from a person's message",
        arguments: [
            (["Auto-Submitted: auto-replied"], true), (["Precedence: bulk"], true), (["X-Autoreply: yes"], true),
            (["List-Id: <news.example.cn>"], true),
            (["Content-Type: multipart/report; report-type=delivery-status; boundary=x"], true),
            (["Auto-Submitted: no"], false), ([], false),
        ] as [([String], Bool)])
    func automatic(headers: [String], machine: Bool) throws {
        let mail = try ParsedMail.parse(Self.message([Self.sender, "Subject: s"] + headers, Array("x".utf8)))
        #expect((mail.automatic != nil) == machine, "\(headers)")
    }

    @Test("Replies name what they answer; a message without a header or a sender is refused with the reason")
    func threadingAndRefusals() throws {
        let mail = try ParsedMail.parse(
            Self.message(
                [
                    Self.sender, "Subject: Re: 【投诉 2612040001】", "Message-ID: <abc@example.cn>",
                    "In-Reply-To: <report:1@closeloop>", "References: <a@x> <report:1@closeloop>",
                    "Date: Thu, 3 Dec 2026 21:00:00 +0800",
                ], Array("好的".utf8)))
        #expect(mail.messageID == "abc@example.cn")
        #expect(mail.inReplyTo == ["report:1@closeloop"])
        #expect(mail.references == ["a@x", "report:1@closeloop"])
        #expect(mail.date == Date(timeIntervalSince1970: 1_796_302_800))
        #expect(throws: MailParseError.noSender) {
            try ParsedMail.parse(Self.message(["Subject: no sender"], Array("x".utf8)))
        }
        #expect(throws: MailParseError.noHeader) { try ParsedMail.parse(Data("just some text".utf8)) }
    }
}

/// Quoted-printable written the way clients write it: 76-character lines with soft breaks, `=XX` for anything not
/// plain ASCII.
enum TransferEncodingFixture {
    static func quotedPrintable(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        var lineLength = 0
        for byte in bytes {
            let piece: [UInt8] =
                (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "=")) || byte == 32
                ? [byte] : Array(String(format: "=%02X", byte).utf8)
            if lineLength + piece.count > 75 {
                output += Array("=\r\n".utf8)
                lineLength = 0
            }
            output += piece
            lineLength += piece.count
        }
        return output
    }
}
