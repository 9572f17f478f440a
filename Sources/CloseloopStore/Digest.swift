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

    public static func sha256(_ text: String) -> String { sha256(Data(text.utf8)) }
}
