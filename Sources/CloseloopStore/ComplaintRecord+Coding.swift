import CloseloopCore
import Foundation

/// The stored document of a complaint: its clocks in their compact form (`StoredClock`), read in either form.
extension ComplaintRecord {
    enum CodingKeys: String, CodingKey {
        case complaint, clocks, nextAlertAt
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            complaint: try container.decode(Complaint.self, forKey: .complaint),
            clocks: try container.decode([StoredClock].self, forKey: .clocks).map(\.status),
            nextAlertAt: try container.decodeIfPresent(Date.self, forKey: .nextAlertAt))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(complaint, forKey: .complaint)
        try container.encode(clocks.map(StoredClock.init), forKey: .clocks)
        try container.encodeIfPresent(nextAlertAt, forKey: .nextAlertAt)
    }
}
