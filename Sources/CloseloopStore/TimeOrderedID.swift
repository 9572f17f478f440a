import Foundation

/// UUIDs of version 7 (RFC 9562): 48 bits of Unix milliseconds, then 74 random bits. New rows keyed by them land
/// at the end of their index instead of on a random page of it, which at a million complaints is the difference
/// between a commit writing a few index pages and writing one per complaint per index.
public enum TimeOrderedID {
    public static func make(at instant: Date) -> String {
        var generator = SystemRandomNumberGenerator()
        return make(at: instant, using: &generator)
    }

    public static func make(at instant: Date, using random: inout some RandomNumberGenerator) -> String {
        let milliseconds = UInt64(max(0, (instant.timeIntervalSince1970 * 1000).rounded(.down)))
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: milliseconds >> (8 * (5 - index))) }
        let high = random.next() as UInt64
        let low = random.next() as UInt64
        for index in 0..<2 { bytes[6 + index] = UInt8(truncatingIfNeeded: high >> (8 * index)) }
        for index in 0..<8 { bytes[8 + index] = UInt8(truncatingIfNeeded: low >> (8 * index)) }
        bytes[6] = 0x70 | (bytes[6] & 0x0F)  // version 7
        bytes[8] = 0x80 | (bytes[8] & 0x3F)  // the RFC's variant
        let hex = Digest.hex(bytes)
        let characters = Array(hex)
        return String(characters[0..<8]) + "-" + String(characters[8..<12]) + "-" + String(characters[12..<16]) + "-"
            + String(characters[16..<20]) + "-" + String(characters[20..<32])
    }
}
