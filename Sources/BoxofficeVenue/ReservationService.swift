package import BoxofficeCore
package import BoxofficeStore
package import Foundation

/// Seat holds (reservations): a buyer holds seats for the event's hold time, then confirms them
/// into tickets through the same selling step as POST /tickets, or releases them. An expired
/// hold is never rewritten by a timer: every availability read judges it against the clock.
package struct ReservationService: Sendable {
    package let store: any VersionedStore
    package let events: EventService
    package let metrics: NodeMetrics
    package let demand: SeatDemand
    package let now: @Sendable () -> Date

    package init(store: any VersionedStore, events: EventService, metrics: NodeMetrics, demand: SeatDemand, now: @escaping @Sendable () -> Date) {
        self.store = store
        self.events = events
        self.metrics = metrics
        self.demand = demand
        self.now = now
    }

    /// Holds `request.quantity` of this node's seats for the caller (or, by staff, a walk-in).
    package func hold(_ request: SaleRequest, by buyer: Identity) async throws -> Identified<Hold> {
        let eventId = try Validate.id(request.eventId, field: "eventId")
        let holder = try TicketService.holder(of: request, buyer: buyer)
        let date = now()
        let node = store.nodeID
        return try await demand.noting(eventId, seats: request.quantity, hold: true, at: date) {
            try await store.transact { transaction in
                let event = try await events.event(eventId, in: transaction)
                try await Self.expireLapsed(of: node, at: date, in: transaction)
                // Invariant: a hold takes only seats this node may still sell.
                try await SeatService.requireSeats(request.quantity, of: eventId, event: event, node: node, at: date, in: transaction)
                let hold = Hold(
                    eventId: eventId,
                    seats: request.quantity,
                    userId: holder.userId,
                    holderName: holder.name,
                    holderEmail: holder.email,
                    heldBy: buyer.userId,
                    node: node,
                    createdAt: date,
                    expiresAt: date.addingTimeInterval(event.holdDuration),
                    paymentMethod: holder.paymentMethod
                )
                let id = Identifier.random(prefix: "h")
                try await transaction.put(Hold.collection, id, body: JSONBody(encoding: hold))
                return Identified(id: id, value: hold)
            }
        }
    }

    /// Turns an open hold into tickets. Confirming again answers with the same tickets; after
    /// expiry or release the seats are gone (410).
    package func confirm(_ id: String, by caller: Identity) async throws -> [Identified<Ticket>] {
        let id = try Validate.id(id, field: "id")
        let date = now()
        let node = store.nodeID
        let (tickets, fresh) = try await store.transact { transaction -> ([Identified<Ticket>], Bool) in
            var hold = try await Self.hold(id, of: caller, in: transaction)
            switch hold.status {
            case .confirmed: return await (try TicketService.tickets(hold.ticketIds ?? [], in: transaction), false)
            case .released: throw DomainError.holdReleased(holdId: id)
            case .expired: throw DomainError.holdExpired(holdId: id, at: hold.expiresAt)
            case .open: break
            }
            guard hold.isHolding(at: date) else { throw DomainError.holdExpired(holdId: id, at: hold.expiresAt) }
            guard hold.node == node else { throw DomainError.holdOnAnotherNode(holdId: id, node: hold.node) }
            let event = try await events.event(hold.eventId, in: transaction)
            let holder = TicketService.Holder(
                name: hold.holderName,
                email: hold.holderEmail,
                userId: hold.userId,
                soldByUser: hold.userId == nil ? hold.heldBy : nil,
                paymentMethod: hold.paymentMethod ?? TicketService.Holder.defaultMethod(for: caller, walkIn: hold.userId == nil)
            )
            let tickets = try await TicketService.sell(
                hold.seats,
                of: hold.eventId,
                event: event,
                to: holder,
                node: node,
                at: date,
                confirming: id,
                in: transaction
            )
            hold.status = .confirmed
            hold.ticketIds = tickets.map(\.id)
            try await transaction.put(Hold.collection, id, body: JSONBody(encoding: hold))
            return (tickets, true)
        }
        if fresh { metrics.ticketsSold(tickets.count) }
        return tickets
    }

    /// Gives a hold's seats back at once. Releasing an expired or released hold changes nothing.
    package func release(_ id: String, by caller: Identity) async throws -> Identified<Hold> {
        let id = try Validate.id(id, field: "id")
        let node = store.nodeID
        let date = now()
        return try await store.transact { transaction in
            var hold = try await Self.hold(id, of: caller, in: transaction)
            guard hold.status != .confirmed else { throw DomainError.holdConfirmed(holdId: id) }
            guard hold.status == .open else { return Identified(id: id, value: hold) }
            guard hold.node == node else { throw DomainError.holdOnAnotherNode(holdId: id, node: hold.node) }
            // A hold past its expiry gave its seats back already: it is marked expired, not released.
            hold.status = hold.isHolding(at: date) ? .released : .expired
            try await transaction.put(Hold.collection, id, body: JSONBody(encoding: hold))
            return Identified(id: id, value: hold)
        }
    }

    /// Marks this node's open holds that passed their expiry as `expired`, in the transaction that
    /// makes a new hold, so availability reads stop looking at abandoned holds. Their seats were
    /// free already (expiry is judged on read); this only keeps them from piling up.
    private static nonisolated(nonsending) func expireLapsed(of node: String, at date: Date, in transaction: any StoreTransaction) async throws {
        // Invariant: only the holding node writes a hold, so this never races a peer.
        for document in try await transaction.documents(index: VenueIndexes.holds, key: VenueIndexes.openHoldsHeld(by: node)) where !document.deleted
        {
            var hold = try document.body.decode(Hold.self)
            guard hold.status == .open, hold.node == node, !hold.isHolding(at: date) else { continue }
            hold.status = .expired
            try await transaction.put(Hold.collection, document.id, body: JSONBody(encoding: hold))
        }
    }

    /// One hold, if the caller made it or is staff.
    package func hold(_ id: String, by caller: Identity) async throws -> Identified<Hold> {
        let id = try Validate.id(id, field: "id")
        return try await store.read { transaction in await Identified(id: id, value: try Self.hold(id, of: caller, in: transaction)) }
    }

    private static nonisolated(nonsending) func hold(_ id: String, of caller: Identity, in transaction: any StoreView) async throws -> Hold {
        guard let document = try await transaction.get(Hold.collection, id), !document.deleted else {
            throw DomainError.notFound(kind: "reservation", id: id)
        }
        let hold = try document.body.decode(Hold.self)
        guard hold.heldBy == caller.userId || caller.isStaff else { throw DomainError.forbidden("this reservation belongs to another user") }
        return hold
    }
}
