import Crypto
import Foundation

/// SHA-256 as lowercase hex: attachment addresses, token hashes, history links and request fingerprints.
public enum Digest {
    public static func sha256(_ data: Data) -> String {
        hex(SHA256.hash(data: data))
    }

    private static let digits = Array("0123456789abcdef".utf8)

    /// Lowercase hex without `String(format:)`, which parses its format for every byte (hashing is on every write).
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var characters: [UInt8] = []
        characters.reserveCapacity(64)
        for byte in bytes {
            characters.append(digits[Int(byte >> 4)])
            characters.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: characters, as: UTF8.self)
    }

    /// The bytes of lowercase hex that `hex` wrote (a digit outside 0-9 and a-f reads as 0).
    static func bytes(hex text: String) -> [UInt8] {
        func nibble(_ digit: UInt8) -> UInt8 {
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
            default: 0
            }
        }
        let digits = Array(text.utf8)
        return stride(from: 0, to: digits.count - 1, by: 2).map { nibble(digits[$0]) << 4 | nibble(digits[$0 + 1]) }
    }

    public static func sha256(_ text: String) -> String { sha256(Data(text.utf8)) }
}
