package import BoxofficeCore
package import BoxofficeStore
package import BoxofficeSync
package import Foundation
import Logging

/// What is left of an event: everywhere, and here (what this node may still sell on its own).
package struct Availability: Sendable, Equatable {
    /// The capacity now: as created, plus what nodes added or removed since (their allocation rows).
    package var capacity: Int
    package var sold: Int
    /// Seats in open, unexpired holds (reservations) on any node.
    package var held: Int = 0
    package var remaining: Int
    /// Under escrow, this node's unsold allocation; under overbook, `remaining`.
    package var remainingHere: Int
    /// Live tickets this node sold.
    var soldHere: Int
    /// When the first hold counted in `held` expires: until then nothing but a write changes
    /// these figures.
    var heldUntil: Date? = nil
}

/// Seat allocations (escrow): each node sells from its own seats and may give unsold ones to a
/// peer. Under `salesPolicy: escrow` no partition can make live tickets exceed capacity, because
/// no two nodes ever sell the same seat.
package struct SeatService: Sendable {
    package let store: any VersionedStore
    package let demand: SeatDemand
    package let now: @Sendable () -> Date

    package init(store: any VersionedStore, demand: SeatDemand, now: @escaping @Sendable () -> Date) {
        self.store = store
        self.demand = demand
        self.now = now
    }

    /// The availability of `event` (id `id`) for this node at `now`, as `transaction` sees the store;
    /// `excluding` leaves one hold out (the one being confirmed: its seats are the ones it sells).
    package static nonisolated(nonsending) func availability(
        of id: String,
        event: Event,
        node: String,
        at now: Date,
        excluding holdId: String? = nil,
        in transaction: any StoreView
    ) async throws -> Availability {
        let rows = try await allocationRows(of: id, in: transaction)
        // Shares as created; what nodes added or removed since is in their rows.
        let initial = event.initialAllocations
        var event = event
        event.capacity = SeatLedger.capacity(created: event.capacity, rows: rows)
        // Standing tickets: an overbook event's excess over capacity is oversold (`Oversell`), even
        // before the nodes that sold it have marked it.
        let sold = min(event.capacity, try await transaction.count(index: VenueIndexes.tickets, key: VenueIndexes.liveOfEvent(id)))
        let holds = try await holding(id, at: now, excluding: holdId, in: transaction)
        let held = holds.reduce(0) { $0 + $1.seats }
        let heldUntil = holds.map(\.expiresAt).min()
        let remaining = event.remaining(sold: sold, held: held)
        let soldHere = try await transaction.count(index: VenueIndexes.tickets, key: VenueIndexes.liveOfEvent(id, soldBy: node))
        var availability = Availability(
            capacity: event.capacity,
            sold: sold,
            held: held,
            remaining: remaining,
            remainingHere: remaining,
            soldHere: soldHere,
            heldUntil: heldUntil
        )
        guard event.salesPolicy == .escrow, !initial.isEmpty else { return availability }
        let seats = SeatLedger.seats(of: node, initial: initial, rows: rows)
        // A hold takes seats from its own node's allocation only.
        let heldHere = holds.filter { $0.node == node }.reduce(0) { $0 + $1.seats }
        availability.remainingHere = max(0, min(remaining, seats - soldHere - heldHere))
        return availability
    }

    /// The open holds of event `id` that take seats at `now`.
    package static nonisolated(nonsending) func holding(
        _ id: String,
        at now: Date,
        excluding holdId: String? = nil,
        in transaction: any StoreView
    ) async throws -> [Hold] {
        // Invariant: an expired hold counts for nothing, whatever its stored status says.
        try await transaction.documents(index: VenueIndexes.holds, key: VenueIndexes.openHoldsOf(id))
            .filter { $0.id != holdId }.compactMap { try? $0.body.decode(Hold.self) }.filter { $0.isHolding(at: now) }
    }

    /// Refuses to sell or hold `quantity` seats of event `id` here unless this node may: the event
    /// is not cancelled, and the seats are within what it may still sell (`confirming` is the hold
    /// whose own seats are being sold). Sales and holds both pass through here.
    static nonisolated(nonsending) func requireSeats(
        _ quantity: Int,
        of id: String,
        event: Event,
        node: String,
        at now: Date,
        confirming holdId: String? = nil,
        in transaction: any StoreView
    ) async throws {
        guard event.status != .cancelled else { throw DomainError.eventCancelled(eventId: id) }
        // Invariant: this node never sells more seats than it may sell: its own allocation under
        // escrow, what is left of the capacity as it sees it under overbook; less what is held.
        let available = try await availability(of: id, event: event, node: node, at: now, excluding: holdId, in: transaction).remainingHere
        guard quantity <= available else { throw DomainError.notEnoughSeats(requested: quantity, available: available) }
    }

    /// Gives `seats` of this node's unsold allocation for event `id` to node `peer`.
    package func transfer(event id: String, seats: Int, to peer: String, events: EventService) async throws -> EventView {
        let id = try Validate.id(id, field: "id")
        let peer = try Validate.id(peer, field: "to")
        let node = store.nodeID
        guard peer != node else { throw DomainError.conflictsWithState(field: "to", reason: "to must be another node than this one (\(node))") }
        guard seats > 0 else { throw DomainError.invalidField("seats", "seats must be at least 1") }
        let date = now()
        return try await store.transact { transaction in
            let event = try await events.event(id, in: transaction)
            guard event.salesPolicy == .escrow else {
                throw DomainError.conflictsWithState(field: "salesPolicy", reason: "seat transfers are for events sold under escrow")
            }
            // Invariant: seats go only to a node that exists: given to a mistyped id they are gone for good.
            let known = try await Self.knownNodes(of: id, event: event, in: transaction).subtracting([node])
            guard known.contains(peer) else {
                let candidates = known.isEmpty ? "none yet: sync with the node first" : known.sorted().joined(separator: ", ")
                throw DomainError.conflictsWithState(
                    field: "to",
                    reason:
                        "\(peer) is not a node this one knows; give seats to a node with seats of this event or one it has synced with: \(candidates)"
                )
            }
            let before = try await Self.availability(of: id, event: event, node: node, at: date, in: transaction)
            // Invariant: a node only gives away seats it holds and has not sold.
            guard seats <= before.remainingHere else { throw DomainError.notEnoughSeats(requested: seats, available: before.remainingHere) }
            try await Self.give(seats, of: id, from: node, to: peer, in: transaction)
            var after = before
            after.remainingHere -= seats
            return EventView(id: id, event: event, availability: after)
        }
    }

    /// Every node's allocation row of event `id` (seats given and resized), as `transaction` sees them.
    private static nonisolated(nonsending) func allocationRows(of id: String, in transaction: any StoreView) async throws -> [AllocationRow] {
        try await transaction.documents(index: VenueIndexes.allocations, key: VenueIndexes.ofEvent(id)).compactMap {
            try? $0.body.decode(AllocationRow.self)
        }
    }

    /// The nodes this one knows of for event `id`: those with seats of it, and those it has synced with.
    private static nonisolated(nonsending) func knownNodes(of id: String, event: Event, in transaction: any StoreView) async throws -> Set<String> {
        let rows = try await allocationRows(of: id, in: transaction)
        var nodes = Set(event.initialAllocations.keys).union(rows.map(\.node)).union(rows.flatMap(\.given.keys))
        if let home = event.homeNode { nodes.insert(home) }
        for checkpoint in try await transaction.documents(in: LocalNode.checkpoints) where checkpoint.id.hasPrefix("from-") {
            nodes.insert(String(checkpoint.id.dropFirst(5)))
        }
        return nodes
    }

    /// Adds `seats` to what `node` gave `peer` of event `id`: a new version of `node`'s own row.
    private static nonisolated(nonsending) func give(
        _ seats: Int,
        of id: String,
        from node: String,
        to peer: String,
        in transaction: any StoreTransaction
    ) async throws {
        try await changeRow(of: id, at: node, in: transaction) { $0.given[peer, default: 0] += seats }
    }

    /// Adds `seats` (negative: removes) to event `id`'s capacity out of `node`'s own share: a new
    /// version of `node`'s own row, so capacity changes made on two nodes apart both count.
    package static nonisolated(nonsending) func resize(
        _ id: String,
        by seats: Int,
        at node: String,
        in transaction: any StoreTransaction
    ) async throws {
        try await changeRow(of: id, at: node, in: transaction) { $0.resized += seats }
    }

    /// Invariant: a node writes only its own allocation row.
    private static nonisolated(nonsending) func changeRow(
        of id: String,
        at node: String,
        in transaction: any StoreTransaction,
        _ change: (inout AllocationRow) -> Void
    ) async throws {
        let rowID = AllocationRow.id(eventId: id, node: node)
        var row =
            try await transaction.get(AllocationRow.collection, rowID).map { try $0.body.decode(AllocationRow.self) }
            ?? AllocationRow(eventId: id, node: node)
        change(&row)
        try await transaction.put(AllocationRow.collection, rowID, body: JSONBody(encoding: row))
    }

    /// Answers a peer that is short of seats (`POST /sync/seat-requests`) by `SeatLedger.grant`.
    package func grant(_ request: SeatRequest, to peer: String) async throws -> SeatGrant {
        let id = try Validate.id(request.eventId, field: "eventId")
        let peer = try Validate.id(peer, field: "keyid")
        let node = store.nodeID
        guard peer != node else { throw DomainError.conflictsWithState(field: "keyid", reason: "a node does not ask itself for seats") }
        guard (1...1_000_000).contains(request.seats) else { throw DomainError.invalidField("seats", "seats must be between 1 and 1,000,000") }
        return try await store.transact { transaction in
            guard let document = try await transaction.get(Event.collection, id), !document.deleted else {
                throw DomainError.notFound(kind: "event", id: id)
            }
            let event = try document.body.decode(Event.self)
            guard event.salesPolicy == .escrow, event.status == .scheduled else { return SeatGrant(eventId: id, granted: 0) }
            let here = try await Self.availability(of: id, event: event, node: node, at: now(), in: transaction)
            let short = isShort(id, event, here)
            let seats = SeatLedger.grant(requested: request.seats, spare: here.remainingHere, giverIsShort: short)
            if seats > 0 { try await Self.give(seats, of: id, from: node, to: peer, in: transaction) }
            return SeatGrant(eventId: id, granted: seats)
        }
    }

    /// After a sync with `peer`: asks it for seats of every escrow event this node is short of
    /// while others still hold some. Returns whether it gave any (then the caller pulls them).
    package func rebalance(with peer: PeerClient) async throws -> Bool {
        let node = store.nodeID
        let requests = try await store.read { transaction in
            var requests: [SeatRequest] = []
            for document in try await transaction.documents(in: Event.collection) {
                guard !document.deleted, let event = try? document.body.decode(Event.self), event.salesPolicy == .escrow,
                    event.status == .scheduled
                else { continue }
                let here = try await Self.availability(of: document.id, event: event, node: node, at: now(), in: transaction)
                guard isShort(document.id, event, here), here.remaining > here.remainingHere else { continue }
                requests.append(SeatRequest(eventId: document.id, seats: SeatLedger.request(capacity: event.capacity)))
            }
            return requests
        }
        var granted = false
        for request in requests {
            // A refused request (an older peer, an event it does not know yet) is not a failed
            // sync, and the other events are still asked for.
            do {
                granted = try await peer.requestSeats(request).granted > 0 || granted
            } catch {
                Self.logger.notice("seat request refused", metadata: ["peer": "\(peer.baseURL)", "event": "\(request.eventId)", "error": "\(error)"])
            }
        }
        return granted
    }

    private static let logger = Logger(label: "boxoffice.seats")

    /// Short of seats: below the low-water mark with demand here (sales, or buyers turned away).
    private func isShort(_ id: String, _ event: Event, _ here: Availability) -> Bool {
        SeatLedger.isShort(remainingHere: here.remainingHere, hasDemand: here.soldHere > 0 || demand.wasRefused(id), capacity: event.capacity)
    }
}
