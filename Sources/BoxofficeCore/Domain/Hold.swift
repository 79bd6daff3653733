public import Foundation

public enum HoldStatus: String, Codable, Sendable {
    /// Holding seats until `expiresAt`.
    case open
    /// Turned into tickets (`ticketIds`).
    case confirmed
    /// Given back before it expired.
    case released
    /// Passed `expiresAt` unconfirmed; marked so by the holding node's sweep. Its seats were free
    /// from `expiresAt` on whether or not the sweep has run.
    case expired
}

/// Seats held for a buyer while they check out (a reservation): the body of a document in
/// `holds`, written only by the node that holds the seats. An open hold takes its seats from that
/// node's own allocation until it expires; expiry is judged against the clock of whoever reads
/// it, so a stale hold never blocks a seat, whether or not anything ran at `expiresAt`.
public struct Hold: Codable, Sendable, Equatable {
    public static let collection = "holds"
    /// How long seats are held unless the event says otherwise.
    public static let defaultMinutes = 10

    public var eventId: String
    public var seats: Int
    /// The buyer's account; nil for a walk-in held by staff.
    public var userId: String?
    public var holderName: String
    public var holderEmail: String?
    /// The account that made the hold (the buyer, or the staff member for a walk-in).
    public var heldBy: String
    /// The node whose seats are held.
    public var node: String
    public var status: HoldStatus
    public var createdAt: Date
    public var expiresAt: Date
    /// The tickets it became, once confirmed.
    public var ticketIds: [String]?
    /// How the seats are paid when confirmed; nil on holds made before nodes recorded it.
    public var paymentMethod: PaymentMethod?

    public init(
        eventId: String,
        seats: Int,
        userId: String?,
        holderName: String,
        holderEmail: String?,
        heldBy: String,
        node: String,
        status: HoldStatus = .open,
        createdAt: Date,
        expiresAt: Date,
        ticketIds: [String]? = nil,
        paymentMethod: PaymentMethod? = nil
    ) {
        self.eventId = eventId
        self.seats = seats
        self.userId = userId
        self.holderName = holderName
        self.holderEmail = holderEmail
        self.heldBy = heldBy
        self.node = node
        self.status = status
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.ticketIds = ticketIds
        self.paymentMethod = paymentMethod
    }

    /// Whether it takes seats at `now`: open and not yet expired.
    public func isHolding(at now: Date) -> Bool { status == .open && now < expiresAt }
}
