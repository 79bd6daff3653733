public import Foundation

/// A cash drawer at one node, from the float a staff member opens it with to the cash they count
/// at close: the body of a document in `tills`. Its id is `till-<random>`, and only its
/// node writes it, so two nodes never write the same till.
public struct Till: Codable, Sendable, Equatable {
    public static let collection = "tills"

    public var node: String
    public var openedBy: String
    public var openedAt: Date
    /// The cash in the drawer at opening.
    public var float: Money
    public var closedBy: String?
    public var closedAt: Date?
    /// The cash counted at close, and what the drawer should have held: the float, plus the
    /// cash sales, less the cash refunds, its staff member made at its node while it was open.
    public var counted: Money?
    public var expected: Money?

    public init(node: String, openedBy: String, openedAt: Date, float: Money) {
        self.node = node
        self.openedBy = openedBy
        self.openedAt = openedAt
        self.float = float
    }

    public var isOpen: Bool { closedAt == nil }

    /// Counted less expected: negative when the drawer is short.
    public var difference: Money? {
        guard let counted, let expected, counted.currency == expected.currency else { return nil }
        return Money(minorUnits: counted.minorUnits - expected.minorUnits, currency: counted.currency)
    }

    /// The cash the drawer should hold at `end`: the float, plus the cash takings of `tickets` its
    /// staff member sold at its node from opening to `end`, less the cash refunds they made there.
    public func expectedCash(at end: Date, tickets: [Ticket]) -> Money {
        var cash = float.minorUnits
        let open = openedAt...end
        for ticket in tickets where ticket.currency == float.currency {
            let amount = ticket.takings?.minorUnits ?? 0
            if ticket.soldBy == node, ticket.soldByUser == openedBy, ticket.method == .cash, open.contains(ticket.soldAt) { cash += amount }
            if ticket.cancelledOn == node, ticket.cancelledBy == openedBy, ticket.refundMethod == .cash,
                let cancelledAt = ticket.cancelledAt, open.contains(cancelledAt)
            {
                cash -= amount
            }
        }
        return Money(minorUnits: cash, currency: float.currency)
    }
}
