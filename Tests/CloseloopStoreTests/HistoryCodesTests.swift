import Testing

@testable import CloseloopStore

/// A history row keeps an event's type and its actor's kind as one letter each, by fixed tables.
@Suite("History codes")
struct HistoryCodesTests {
    @Test("every name comes back from its letter; a name without one is kept whole")
    func roundTrip() {
        for codes in [HistoryCodes.types, HistoryCodes.actorKinds] {
            let table = codes.names
            #expect(Set(table).count == table.count && table.count <= HistoryCodes.letters.count)
            for name in table {
                let stored = codes.stored(name)
                #expect(stored.count == 1 && name.count > 1)
                #expect(codes.name(stored) == name)
            }
        }
        #expect(HistoryCodes.types.stored("satisfaction_surveyed") == "satisfaction_surveyed")
        #expect(HistoryCodes.types.name("satisfaction_surveyed") == "satisfaction_surveyed")
    }

    @Test("the letters are fixed: stored rows depend on them")
    func lettersFixed() {
        #expect(HistoryCodes.types.stored("received") == "a")
        #expect(HistoryCodes.types.stored("customer_contacted") == "i")
        #expect(HistoryCodes.types.stored("clock_alerted") == "F")
        #expect(HistoryCodes.actorKinds.names.map(HistoryCodes.actorKinds.stored) == ["a", "b", "c"])
    }
}
