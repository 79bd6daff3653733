public import Foundation

/// How an event sells seats while nodes are apart.
public enum SalesPolicy: String, Codable, Sendable, CaseIterable {
    /// A node sells only the seats it holds: no partition can oversell.
    case escrow
    /// A disconnected node may sell up to the full capacity; excess sales are resolved on sync.
    case overbook
}

public enum EventStatus: String, Codable, Sendable {
    case scheduled
    case cancelled
}

/// Something people buy tickets for: the body of a document in `events`.
public struct Event: Codable, Sendable, Equatable {
    public static let collection = "events"

    public var name: String
    public var description: String
    public var date: Date
    public var location: String
    public var capacity: Int
    /// In the currency's major unit (e.g. 25.50 EUR).
    public var price: Decimal
    /// ISO 4217 code, upper case.
    public var currency: String
    public var salesPolicy: SalesPolicy
    /// The initial split of the capacity between nodes (escrow); nil gives every seat to `homeNode`.
    public var allocations: [String: Int]?
    /// The node that created the event.
    public var homeNode: String?
    public var status: EventStatus
    /// How long a hold keeps seats for a buyer; nil means `Hold.defaultMinutes`.
    public var holdMinutes: Int?
    public var organizerId: String
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        name: String,
        description: String,
        date: Date,
        location: String,
        capacity: Int,
        price: Decimal,
        currency: String,
        salesPolicy: SalesPolicy,
        allocations: [String: Int]? = nil,
        homeNode: String? = nil,
        status: EventStatus = .scheduled,
        holdMinutes: Int? = nil,
        organizerId: String,
        createdAt: Date,
        updatedAt: Date
    ) {
        self.name = name
        self.description = description
        self.date = date
        self.location = location
        self.capacity = capacity
        self.price = price
        self.currency = currency
        self.salesPolicy = salesPolicy
        self.allocations = allocations
        self.homeNode = homeNode
        self.status = status
        self.holdMinutes = holdMinutes
        self.organizerId = organizerId
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Each node's initial seats: the explicit split, else all at the home node.
    public var initialAllocations: [String: Int] {
        allocations ?? homeNode.map { [$0: capacity] } ?? [:]
    }

    /// Seats still for sale when `sold` live tickets exist and `held` seats are held; never negative.
    public func remaining(sold: Int, held: Int = 0) -> Int {
        status == .cancelled ? 0 : max(0, capacity - sold - held)
    }

    /// How long a hold keeps seats.
    public var holdDuration: TimeInterval { TimeInterval((holdMinutes ?? Hold.defaultMinutes) * 60) }
}
