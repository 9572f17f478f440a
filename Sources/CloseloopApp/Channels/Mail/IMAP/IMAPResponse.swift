import NIOCore

/// One IMAP response as the server sent it: its lines joined, each literal (`{n}` and the n bytes after it) taken
/// out into `literals` and left as `{n}` in the text, so a fetched message's bytes are never read as text.
struct IMAPResponse: Sendable, Equatable {
    var text: String
    var literals: [[UInt8]]

    /// `tag OK …` / `tag NO …` / `tag BAD …` for the command tagged `tag`, else nil.
    func completion(of tag: String) -> (ok: Bool, text: String)? {
        guard text.hasPrefix(tag + " ") else { return nil }
        let rest = text.dropFirst(tag.count + 1)
        return (rest.uppercased().hasPrefix("OK"), String(rest))
    }
}

/// Splits the server's bytes into whole responses, literals included; a literal larger than `maxLiteral` (a message
/// beyond any limit) ends the connection rather than filling the memory.
struct IMAPResponseDecoder: ByteToMessageDecoder {
    typealias InboundOut = IMAPResponse

    let maxLiteral: Int
    private var text = ""
    private var literals: [[UInt8]] = []
    private var literalLength: Int?

    init(maxLiteral: Int) { self.maxLiteral = maxLiteral }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        if let length = literalLength {
            guard buffer.readableBytes >= length, let bytes = buffer.readBytes(length: length) else {
                return .needMoreData
            }
            literals.append(bytes)
            literalLength = nil
            return .continue
        }
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > 1 << 20 { throw IMAPError(description: "an over-long line from the server") }
            return .needMoreData
        }
        // The line end is cut as bytes: as a String, "\r\n" is one character that neither "\r" nor "\n" matches.
        var bytes = buffer.readBytes(length: newline - buffer.readerIndex + 1) ?? []
        while let last = bytes.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") { bytes.removeLast() }
        let line = String(decoding: bytes, as: UTF8.self)
        text += line
        if let length = Self.literalLength(at: line) {
            guard length <= maxLiteral else {
                throw IMAPError(description: "the server sent \(length) bytes, more than the limit of \(maxLiteral)")
            }
            literalLength = length
            return .continue
        }
        context.fireChannelRead(wrapInboundOut(IMAPResponse(text: text, literals: literals)))
        text = ""
        literals = []
        return .continue
    }

    mutating func decodeLast(
        context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool
    ) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue, buffer.readableBytes > 0 {}
        return .needMoreData
    }

    /// The n of a line ending `{n}` (or `{n+}`), which announces n bytes of literal after the line end.
    static func literalLength(at line: String) -> Int? {
        guard line.hasSuffix("}"), let open = line.lastIndex(of: "{") else { return nil }
        var digits = line[line.index(after: open)..<line.index(before: line.endIndex)]
        if digits.hasSuffix("+") { digits = digits.dropLast() }
        guard !digits.isEmpty, digits.count <= 12, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else {
            return nil
        }
        return Int(digits)
    }
}

/// What went wrong talking to the mailbox, in words for the status page.
struct IMAPError: Error, CustomStringConvertible, Sendable {
    var description: String
}
