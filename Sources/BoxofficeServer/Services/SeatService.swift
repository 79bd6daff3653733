import BoxofficeCore
import BoxofficeStore
import Foundation

/// What is left of an event: everywhere, and here (what this node may still sell on its own).
struct Availability: Sendable, Equatable {
    var sold: Int
    /// Seats in open, unexpired holds (reservations) on any node.
    var held: Int = 0
    var remaining: Int
    /// Under escrow, this node's unsold allocation; under overbook, `remaining`.
    var remainingHere: Int
}

/// Seat allocations (escrow): each node sells from its own seats and may give unsold ones to a
/// peer. Under `salesPolicy: escrow` no partition can make live tickets exceed capacity, because
/// no two nodes ever sell the same seat.
struct SeatService: Sendable {
    let store: DocumentStore

    /// The availability of `event` (id `id`) for this node at `now`, as `transaction` sees the store.
    static func availability(of id: String, event: Event, node: String, at now: Date, in transaction: borrowing Transaction) -> Availability {
        let sold = transaction.count(index: VenueIndexes.tickets, key: VenueIndexes.liveOfEvent(id))
        // Invariant: an expired hold counts for nothing, whatever its stored status says.
        let holds = transaction.documents(index: VenueIndexes.holds, key: VenueIndexes.openHoldsOf(id))
            .compactMap { try? $0.body.decode(Hold.self) }.filter { $0.isHolding(at: now) }
        let held = holds.reduce(0) { $0 + $1.seats }
        let remaining = event.remaining(sold: sold, held: held)
        let initial = event.initialAllocations
        guard event.salesPolicy == .escrow, !initial.isEmpty else {
            return Availability(sold: sold, held: held, remaining: remaining, remainingHere: remaining)
        }
        let rows = transaction.documents(index: VenueIndexes.allocations, key: VenueIndexes.ofEvent(id)).compactMap {
            try? $0.body.decode(AllocationRow.self)
        }
        let seats = SeatLedger.seats(of: node, initial: initial, rows: rows)
        let soldHere = transaction.count(index: VenueIndexes.tickets, key: VenueIndexes.liveOfEvent(id, soldBy: node))
        // A hold takes seats from its own node's allocation only.
        let heldHere = holds.filter { $0.node == node }.reduce(0) { $0 + $1.seats }
        return Availability(sold: sold, held: held, remaining: remaining, remainingHere: max(0, min(remaining, seats - soldHere - heldHere)))
    }

    /// Gives `seats` of this node's unsold allocation for event `id` to node `peer`.
    func transfer(event id: String, seats: Int, to peer: String, events: EventService) async throws -> EventView {
        let id = try Validate.id(id, field: "id")
        let peer = try Validate.id(peer, field: "to")
        let node = store.nodeID
        guard peer != node else { throw DomainError.invalidField("to", "to must be another node than this one (\(node))") }
        guard seats > 0 else { throw DomainError.invalidField("seats", "seats must be at least 1") }
        let now = events.now()
        return try await store.transact { transaction in
            let event = try events.event(id, in: transaction)
            guard event.salesPolicy == .escrow else {
                throw DomainError.invalidField("salesPolicy", "seat transfers are for events sold under escrow")
            }
            let before = Self.availability(of: id, event: event, node: node, at: now, in: transaction)
            // Invariant: a node only gives away seats it holds and has not sold.
            guard seats <= before.remainingHere else { throw DomainError.notEnoughSeats(requested: seats, available: before.remainingHere) }
            let rowID = AllocationRow.id(eventId: id, node: node)
            var row = try transaction.get(AllocationRow.collection, rowID).map { try $0.body.decode(AllocationRow.self) }
                ?? AllocationRow(eventId: id, node: node)
            row.given[peer, default: 0] += seats
            try transaction.put(AllocationRow.collection, rowID, body: JSONBody(encoding: row))
            var after = before
            after.remainingHere -= seats
            return EventView(id: id, event: event, availability: after)
        }
    }
}
