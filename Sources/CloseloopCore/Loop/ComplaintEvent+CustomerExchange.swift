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
