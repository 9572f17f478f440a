import Testing

@testable import CloseloopStore

/// A history row keeps an event's type and its actor's kind as one letter each, by fixed tables.
@Suite("History codes")
struct HistoryCodesTests {
    @Test("every name comes back from its letter; a name without one is kept whole")
    func roundTrip() {
        for table in [HistoryCodes.types, HistoryCodes.actorKinds] {
            #expect(Set(table).count == table.count && table.count <= HistoryCodes.letters.count)
            for name in table {
                let stored = HistoryCodes.stored(name, in: table)
                #expect(stored.count == 1 && name.count > 1)
                #expect(HistoryCodes.name(stored, in: table) == name)
            }
        }
        #expect(HistoryCodes.stored("satisfaction_surveyed", in: HistoryCodes.types) == "satisfaction_surveyed")
        #expect(HistoryCodes.name("satisfaction_surveyed", in: HistoryCodes.types) == "satisfaction_surveyed")
    }

    @Test("the letters are fixed: stored rows depend on them")
    func lettersFixed() {
        #expect(HistoryCodes.stored("received", in: HistoryCodes.types) == "a")
        #expect(HistoryCodes.stored("customer_contacted", in: HistoryCodes.types) == "i")
        #expect(HistoryCodes.stored("clock_alerted", in: HistoryCodes.types) == "F")
        #expect(
            HistoryCodes.actorKinds.map { HistoryCodes.stored($0, in: HistoryCodes.actorKinds) } == ["a", "b", "c"])
    }
}
