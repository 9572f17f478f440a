import CloseloopCore
import Testing

@Suite("Reading a header search")
struct LookupKeyTests {
    @Test("A phone in any format is read as the stored digits; it may also be the beginning of a number")
    func phone() {
        for typed in ["+86 139-0000-9002", "139 0000 9002", "13900009002", "(+86) 13900009002"] {
            let key = LookupKey(typed)
            #expect(key.phone == "13900009002", "\(typed)")
            #expect(key.name == nil && key.email == nil)
        }
        #expect(LookupKey("139-0000").phone == "1390000")
        #expect(LookupKey("2612031").number == "2612031")
        #expect(LookupKey("12").phone == nil && LookupKey("12").number == nil)
    }

    @Test("An email is lowercased; a name is kept as written; an order reference is lowercased and trimmed")
    func others() {
        let email = LookupKey("  Evans@Example.com ")
        #expect(email.email == "evans@example.com" && email.name == nil && email.number == nil)
        let name = LookupKey("周女士")
        #expect(name.name == "周女士" && name.phone == nil && name.number == nil)
        #expect(LookupKey("WL-88231").reference == "wl-88231")
        #expect(LookupKey("Ms Lin").number == nil, "words with a space are not a number")
        #expect(LookupKey.reference("  ") == nil)
        #expect(LookupKey("   ").text.isEmpty)
    }
}
