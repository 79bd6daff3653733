public import Foundation

public enum TicketStatus: String, Codable, Sendable {
    case valid
    case cancelled
    /// Sold past the capacity of an overbook event while nodes were apart, and not among the
    /// first `capacity` sales by `OversellRule`: it admits no one and its holder is told.
    case oversold
}

/// One seat sold: the body of a document in `tickets`, created by the node that sold it. The sold
/// count of an event is the number of its live tickets, never a counter that nodes overwrite.
public struct Ticket: Codable, Sendable, Equatable {
    public static let collection = "tickets"

    public var eventId: String
    /// The buyer's account; nil for a walk-in sale by staff.
    public var userId: String?
    public var holderName: String
    public var holderEmail: String?
    /// What the door scans: unguessable, unique.
    public var code: String
    public var status: TicketStatus
    public var price: Decimal
    public var currency: String
    public var soldAt: Date
    /// The selling node's clock at the sale: what `OversellRule` orders sales by. Nil on tickets
    /// sold by nodes older than 0.3 (see `saleOrder`).
    public var saleHLC: HLC?
    /// The node that sold it.
    public var soldBy: String
    /// The staff member who sold it, for box-office sales.
    public var soldByUser: String?
    /// How it was paid; nil on tickets sold before nodes recorded it (see `method`).
    public var paymentMethod: PaymentMethod?
    /// When it was cancelled, by whom (the holder or a staff member), at which node, and how the
    /// money went back: the refund is that node's, on the day it was made.
    public var cancelledAt: Date?
    public var cancelledBy: String?
    public var cancelledOn: String?
    public var refundMethod: PaymentMethod?

    public init(
        eventId: String,
        userId: String?,
        holderName: String,
        holderEmail: String?,
        code: String,
        status: TicketStatus = .valid,
        price: Decimal,
        currency: String,
        soldAt: Date,
        saleHLC: HLC?,
        soldBy: String,
        soldByUser: String?,
        paymentMethod: PaymentMethod? = nil
    ) {
        self.eventId = eventId
        self.userId = userId
        self.holderName = holderName
        self.holderEmail = holderEmail
        self.code = code
        self.status = status
        self.price = price
        self.currency = currency
        self.soldAt = soldAt
        self.saleHLC = saleHLC
        self.soldBy = soldBy
        self.soldByUser = soldByUser
        self.paymentMethod = paymentMethod
    }

    /// How it was paid: as recorded, or for an older ticket what a sale defaults to, cash at a
    /// box office (sold by staff) and online otherwise.
    public var method: PaymentMethod { paymentMethod ?? (soldByUser == nil ? .online : .cash) }

    /// What the sale took: its price, or nothing for a complimentary ticket; nil when the price
    /// is not whole minor units of its currency (no node sells such a price).
    public var takings: Money? {
        method == .comp ? Money(minorUnits: 0, currency: currency) : Money(price, currency: currency)
    }

    /// Where the sale stands in `OversellRule`'s order: its sale HLC, or for a ticket sold before
    /// nodes recorded one, its sale time as an HLC.
    public var saleOrder: HLC {
        saleHLC ?? HLC(wallMillis: UInt64(max(0, soldAt.timeIntervalSince1970 * 1000)), counter: 0)
    }

    /// Whether the ticket holds a seat.
    public var isLive: Bool { status == .valid }
}
