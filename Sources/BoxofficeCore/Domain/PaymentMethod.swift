/// How a sale was paid, or a refund paid back: what the end-of-night count sorts revenue by.
public enum PaymentMethod: String, Codable, Sendable, CaseIterable {
    case cash
    case card
    case online
    /// Complimentary: a ticket given away, no money taken.
    case comp
}
