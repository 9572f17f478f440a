import Foundation
import OpenAPIRuntime
import Testing

@testable import CloseloopServer

/// The API's own date writer must write exactly what OpenAPIRuntime's ISO 8601 transcoder wrote before it.
@Suite("API instants")
struct APIDateTranscoderTests {
    @Test("Instants are written as the ISO 8601 transcoder writes them, across eras, leap days and fractions")
    func sameAsFormatter() throws {
        let fast = APIDateTranscoder()
        let reference = ISO8601DateTranscoder.iso8601
        var instants: [Double] = [
            0, -1, -0.5, 86_399.999, 951_782_400, 951_868_800, 4_107_542_399, 1_776_043_800.25, -2_208_988_800,
            253_402_300_799,
        ]
        // 1900 to 2100 in uneven steps, with fractions up to the rounding edge of the last millisecond.
        for step in 0..<5_000 {
            let fraction = [0, 0.001, 0.4994, 0.9994, 0.9996, 0.123_456][step % 6]
            instants.append(-2_208_988_800 + Double(step) * 1_262_303.7 + fraction)
        }
        for seconds in instants {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(try fast.encode(date) == reference.encode(date), "\(seconds)")
        }
    }

    @Test("What was accepted before is still read")
    func reads() throws {
        let fast = APIDateTranscoder()
        #expect(try fast.decode("2026-04-13T01:00:00Z") == Date(timeIntervalSince1970: 1_776_042_000))
        #expect(try fast.decode("2026-04-13T09:00:00+08:00") == Date(timeIntervalSince1970: 1_776_042_000))
        #expect(throws: (any Error).self) { try fast.decode("13/04/2026") }
    }
}
