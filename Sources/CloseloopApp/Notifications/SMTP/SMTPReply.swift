import NIOCore

/// One SMTP reply: its three-digit code and the text of each of its lines.
struct SMTPReply: Sendable, Equatable {
    var code: Int
    var lines: [String]

    var isPositive: Bool { (200..<400).contains(code) }
    /// 5xx: the relay will never take this; retrying only repeats the refusal.
    var isPermanentFailure: Bool { (500..<600).contains(code) }
    var text: String { lines.joined(separator: " / ") }
}

/// Splits the relay's bytes into whole replies: "250-first", "250-second", "250 last" is one reply.
struct SMTPReplyDecoder: ByteToMessageDecoder {
    typealias InboundOut = SMTPReply

    private var pending: [String] = []

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > 4096 { throw SMTPProtocolError(description: "an over-long line from the relay") }
            return .needMoreData
        }
        let length = newline - buffer.readerIndex + 1
        // The line end is cut as bytes: as a String, "\r\n" is one character that neither "\r" nor "\n" matches.
        var bytes = buffer.readBytes(length: length) ?? []
        while let last = bytes.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") { bytes.removeLast() }
        let line = String(decoding: bytes, as: UTF8.self)
        guard bytes.count >= 3, let code = Int(String(line.prefix(3))) else {
            throw SMTPProtocolError(description: "not an SMTP reply: \(line.prefix(80))")
        }
        pending.append(bytes.count > 4 ? String(line.dropFirst(4)) : "")
        // "250-" continues the reply, "250 " (or a bare "250") ends it.
        if bytes.count > 3 && bytes[3] == UInt8(ascii: "-") { return .continue }
        context.fireChannelRead(wrapInboundOut(SMTPReply(code: code, lines: pending)))
        pending = []
        return .continue
    }

    mutating func decodeLast(
        context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool
    ) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue, buffer.readableBytes > 0 {}
        return .needMoreData
    }
}

struct SMTPProtocolError: Error, CustomStringConvertible {
    var description: String
}
