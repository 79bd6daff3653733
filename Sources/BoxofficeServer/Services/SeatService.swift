import BoxofficeCore
import BoxofficeStore
import Foundation

/// What is left of an event: everywhere, and here (what this node may still sell on its own).
struct Availability: Sendable, Equatable {
    var sold: Int
    var remaining: Int
    /// Under escrow, this node's unsold allocation; under overbook, `remaining`.
    var remainingHere: Int
}

/// Seat allocations (escrow): each node sells from its own seats and may give unsold ones to a
/// peer. Under `salesPolicy: escrow` no partition can make live tickets exceed capacity, because
/// no two nodes ever sell the same seat.
struct SeatService: Sendable {
    let store: DocumentStore

    /// The availability of `event` (id `id`) for this node, as `transaction` sees the store.
    static func availability(of id: String, event: Event, node: String, in transaction: borrowing Transaction) -> Availability {
        let sold = transaction.count(index: VenueIndexes.tickets, key: VenueIndexes.liveOfEvent(id))
        let remaining = event.remaining(sold: sold)
        let initial = event.initialAllocations
        guard event.salesPolicy == .escrow, !initial.isEmpty else { return Availability(sold: sold, remaining: remaining, remainingHere: remaining) }
        let rows = transaction.documents(index: VenueIndexes.allocations, key: VenueIndexes.ofEvent(id)).compactMap {
            try? $0.body.decode(AllocationRow.self)
        }
        let seats = SeatLedger.seats(of: node, initial: initial, rows: rows)
        let soldHere = transaction.count(index: VenueIndexes.tickets, key: VenueIndexes.liveOfEvent(id, soldBy: node))
        return Availability(sold: sold, remaining: remaining, remainingHere: max(0, min(remaining, seats - soldHere)))
    }

    /// Gives `seats` of this node's unsold allocation for event `id` to node `peer`.
    func transfer(event id: String, seats: Int, to peer: String, events: EventService) async throws -> EventView {
        let id = try Validate.id(id, field: "id")
        let peer = try Validate.id(peer, field: "to")
        let node = store.nodeID
        guard peer != node else { throw DomainError.invalidField("to", "to must be another node than this one (\(node))") }
        guard seats > 0 else { throw DomainError.invalidField("seats", "seats must be at least 1") }
        return try await store.transact { transaction in
            let event = try events.event(id, in: transaction)
            guard event.salesPolicy == .escrow else {
                throw DomainError.invalidField("salesPolicy", "seat transfers are for events sold under escrow")
            }
            let before = Self.availability(of: id, event: event, node: node, in: transaction)
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
