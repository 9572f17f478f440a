import CloseloopCore
import Foundation

/// One clock as a complaint's document keeps it: `[clock, limit, basis, startedAt, dueAt, stoppedAt, usedPercent]`,
/// the trailing nulls left out, instead of an object that names every field. A complaint's eight or nine clocks were
/// half of its document (about 1.1 of 2.3 KB) and now take about half that (issue 16, item 2). Documents written
/// before keep their objects and read alike; the core's own `ClockStatus` coding is not the store's concern.
struct StoredClock: Codable {
    var status: ClockStatus

    init(_ status: ClockStatus) {
        self.status = status
    }

    init(from decoder: any Decoder) throws {
        guard var fields = try? decoder.unkeyedContainer() else {
            status = try ClockStatus(from: decoder)
            return
        }
        // Arguments are evaluated left to right: the fields are read in their order.
        status = ClockStatus(
            clock: try fields.decode(ClockKind.self), limit: try fields.decode(TimeLimit.self),
            basis: try fields.decode(TimeBasis.self), startedAt: try fields.decode(Date.self),
            dueAt: try fields.decodeIfPresent(Date.self), stoppedAt: try fields.decodeIfPresent(Date.self),
            usedPercent: try fields.decodeIfPresent(Int.self))
    }

    func encode(to encoder: any Encoder) throws {
        var fields = encoder.unkeyedContainer()
        try fields.encode(status.clock)
        try fields.encode(status.limit)
        try fields.encode(status.basis)
        try fields.encode(status.startedAt)
        let optional: [(any Encodable)?] = [status.dueAt, status.stoppedAt, status.usedPercent]
        guard let last = optional.lastIndex(where: { $0 != nil }) else { return }
        for value in optional[...last] {
            if let value { try fields.encode(value) } else { try fields.encodeNil() }
        }
    }
}
