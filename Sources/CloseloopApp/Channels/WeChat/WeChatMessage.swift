import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// One message a WeChat official account pushes (its plain-text XML), and the passive reply to it.
public struct WeChatMessage: Sendable, Equatable {
    /// The account's id (`gh_…`).
    public var toUser: String
    /// The follower's OpenID.
    public var fromUser: String
    public var createTime: Int
    /// `text`, `image`, `voice`, `event`…
    public var type: String
    public var content: String?
    public var pictureURL: String?
    public var mediaID: String?
    /// Speech recognised by WeChat (语音识别结果), when the account has it on.
    public var recognition: String?
    public var messageID: String?
    /// For `event` messages: `subscribe`, `unsubscribe`, `CLICK`…
    public var event: String?

    /// Reads the XML; nil when it is not a WeChat message (no sender, no type).
    public static func parse(_ data: Data) -> WeChatMessage? {
        let reader = FlatXMLReader()
        let parser = XMLParser(data: data)
        parser.delegate = reader
        // External entities are never resolved: the body comes from the network.
        parser.shouldResolveExternalEntities = false
        guard parser.parse() else { return nil }
        let fields = reader.fields
        guard let from = fields["FromUserName"], !from.isEmpty, let type = fields["MsgType"], !type.isEmpty else {
            return nil
        }
        return WeChatMessage(
            toUser: fields["ToUserName"] ?? "", fromUser: from, createTime: Int(fields["CreateTime"] ?? "") ?? 0,
            type: type, content: fields["Content"], pictureURL: fields["PicUrl"], mediaID: fields["MediaId"],
            recognition: fields["Recognition"], messageID: fields["MsgId"], event: fields["Event"])
    }

    /// The text a complaint keeps of it: the words, what was recognised of a voice message, or where the picture is.
    public var text: String {
        switch type {
        case "text": return content ?? ""
        case "image": return "[图片 / picture] \(pictureURL ?? mediaID ?? "")"
        case "voice":
            if let recognition, !recognition.isEmpty { return "[语音 / voice] \(recognition)" }
            return "[语音 / voice] \(mediaID ?? "")"
        default: return content ?? ""
        }
    }

    /// The passive reply WeChat shows the follower at once: a text message from the account.
    public static func reply(to message: WeChatMessage, text: String, at time: Int) -> String {
        "<xml><ToUserName>\(cdata(message.fromUser))</ToUserName><FromUserName>\(cdata(message.toUser))</FromUserName>"
            + "<CreateTime>\(time)</CreateTime><MsgType>\(cdata("text"))</MsgType><Content>\(cdata(text))</Content></xml>"
    }

    /// A CDATA section; a `]]>` inside is split so it cannot close the section early.
    static func cdata(_ text: String) -> String {
        "<![CDATA[" + text.replacingOccurrences(of: "]]>", with: "]]]]><![CDATA[>") + "]]>"
    }
}

/// Collects the children of the root element as name → text (WeChat's messages are one flat level).
private final class FlatXMLReader: NSObject, XMLParserDelegate {
    var fields: [String: String] = [:]
    private var depth = 0
    private var current: String?
    private var text = ""

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        depth += 1
        if depth == 2 {
            current = elementName
            text = ""
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { if current != nil { text += string } }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        if current != nil { text += String(decoding: CDATABlock, as: UTF8.self) }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        if depth == 2, let name = current {
            fields[name] = text.trimmingCharacters(in: .whitespacesAndNewlines)
            current = nil
        }
        depth -= 1
    }
}
