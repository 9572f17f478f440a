extension ComplaintEvent {
    /// Whether this event is a two-way exchange with the customer, which meets the first-contact clock and the
    /// customer-update cadence: a contact recorded as reached, the customer's answer to a proposal (on the portal or
    /// told to staff), a verification with the customer, or information the customer supplied themselves. A call
    /// nobody answered or a note written about the customer is not.
    public var isExchangeWithCustomer: Bool {
        switch change {
        case .customerContacted(let contact): contact.outcome == .reached
        case .customerResponded, .verified: true
        case .informationProvided: actor.kind == .customer
        default: false
        }
    }
}

extension ComplaintEvent {
    /// Whether the system recorded this in the background without changing anything a person working on the complaint
    /// sees or decides on: a message that reached the customer, a deadline alert. A form read before it is not stale.
    public var isBackgroundRecord: Bool {
        switch change {
        case .customerUpdated, .clockAlerted: true
        default: false
        }
    }
}
