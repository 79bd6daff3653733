package import BoxofficeCore
package import BoxofficeStore
import Crypto
package import Foundation

/// A request to buy tickets, as POST /tickets takes it.
package struct SaleRequest: Codable, Sendable, Equatable {
    package var eventId: String
    package var quantity: Int
    package var holderName: String?
    package var holderEmail: String?
    /// How it is paid: `cash` by default when staff sell to a walk-in, else `online`.
    package var paymentMethod: PaymentMethod?

    package init(eventId: String, quantity: Int, holderName: String? = nil, holderEmail: String? = nil, paymentMethod: PaymentMethod? = nil) {
        self.eventId = eventId
        self.quantity = quantity
        self.holderName = holderName
        self.holderEmail = holderEmail
        self.paymentMethod = paymentMethod
    }
}

/// What an idempotency key remembers: the request it was first used with, and what it sold.
private struct IdempotencyRecord: Codable {
    static let collection = "idempotency"
    var request: SaleRequest
    var ticketIds: [String]
}

/// Selling and cancelling tickets. Each sale is one transaction on the store: the seat check and
/// the new ticket documents are atomic, so concurrent buyers never oversell a node.
package struct TicketService: Sendable {
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

    package static let maxQuantity = 10

    /// Who tickets or a hold are for: the buyer, or (sold by staff) a named walk-in holder.
    package struct Holder: Sendable {
        package var name: String
        package var email: String?
        /// The buyer's account; nil for a walk-in.
        package var userId: String?
        /// The staff member who sold it.
        package var soldByUser: String?
        package var paymentMethod: PaymentMethod

        package init(name: String, email: String?, userId: String?, soldByUser: String?, paymentMethod: PaymentMethod) {
            self.name = name
            self.email = email
            self.userId = userId
            self.soldByUser = soldByUser
            self.paymentMethod = paymentMethod
        }

        /// How a sale is paid when the request does not say: cash when staff sell to a walk-in at
        /// the counter, online for anyone's own purchase.
        package static func defaultMethod(for seller: Identity, walkIn: Bool) -> PaymentMethod { seller.isStaff && walkIn ? .cash : .online }
    }

    /// Checks the quantity and holder fields of a sale or hold request and says who it is for.
    package static func holder(of request: SaleRequest, buyer: Identity) throws -> Holder {
        guard (1...maxQuantity).contains(request.quantity) else {
            throw DomainError.invalidField("quantity", "quantity must be between 1 and \(maxQuantity)")
        }
        let walkIn = request.holderName != nil || request.holderEmail != nil
        if walkIn && !buyer.isStaff { throw DomainError.forbidden("only staff may sell to a named holder") }
        let method = request.paymentMethod ?? Holder.defaultMethod(for: buyer, walkIn: walkIn)
        // Invariant: only staff take money at a counter or give tickets away; an attendee pays online.
        guard method == .online || buyer.isStaff else { throw DomainError.forbidden("only staff may take \(method.rawValue) payments") }
        let seller = buyer.isStaff ? buyer.userId : nil
        guard walkIn else { return Holder(name: buyer.name, email: buyer.email, userId: buyer.userId, soldByUser: seller, paymentMethod: method) }
        let name = try Validate.optionalText(request.holderName, field: "holderName", maxLength: 200) ?? buyer.name
        let email = try request.holderEmail.map { email in
            let canonical = User.canonicalEmail(email)
            guard User.isPlausibleEmail(canonical) else { throw DomainError.invalidField("holderEmail", "holderEmail must be an email address") }
            return canonical
        }
        return Holder(name: name, email: email, userId: nil, soldByUser: seller, paymentMethod: method)
    }

    /// Sells `request.quantity` tickets to the caller (or, by staff, to a walk-in holder).
    /// With an idempotency key, the same request returns the same tickets and never sells twice.
    package func sell(_ request: SaleRequest, by buyer: Identity, idempotencyKey: String?) async throws -> [Identified<Ticket>] {
        let eventId = try Validate.id(request.eventId, field: "eventId")
        let holder = try Self.holder(of: request, buyer: buyer)
        let keyID = try idempotencyKey.map { try Self.idempotencyID(key: $0, userId: buyer.userId) }
        let soldAt = now()
        let node = store.nodeID

        let (tickets, fresh) = try await demand.noting(eventId, seats: request.quantity, at: soldAt) {
            try await store.transact { transaction -> ([Identified<Ticket>], Bool) in
                if let keyID, let previous = try await transaction.get(IdempotencyRecord.collection, keyID) {
                    let record = try previous.body.decode(IdempotencyRecord.self)
                    guard record.request == request else { throw DomainError.idempotencyKeyReused }
                    return await (try Self.tickets(record.ticketIds, in: transaction), false)
                }
                let event = try await events.event(eventId, in: transaction)
                let tickets = try await Self.sell(request.quantity, of: eventId, event: event, to: holder, node: node, at: soldAt, in: transaction)
                if let keyID {
                    let record = IdempotencyRecord(request: request, ticketIds: tickets.map(\.id))
                    try await transaction.put(IdempotencyRecord.collection, keyID, body: JSONBody(encoding: record))
                }
                return (tickets, true)
            }
        }
        if fresh { metrics.ticketsSold(tickets.count) }
        return tickets
    }

    /// The one step that sells: checks the seats and writes `quantity` ticket documents for
    /// `holder`, and tells a buyer with an account, inside `transaction`. POST /tickets and the
    /// confirmation of a hold both sell through here; `confirming` is that hold, whose seats are
    /// the ones sold.
    package static nonisolated(nonsending) func sell(
        _ quantity: Int,
        of eventId: String,
        event: Event,
        to holder: Holder,
        node: String,
        at soldAt: Date,
        confirming holdId: String? = nil,
        in transaction: any StoreTransaction
    ) async throws -> [Identified<Ticket>] {
        try await SeatService.requireSeats(quantity, of: eventId, event: event, node: node, at: soldAt, confirming: holdId, in: transaction)
        var tickets: [Identified<Ticket>] = []
        let saleHLC = try await transaction.timestamp()
        for _ in 0..<quantity {
            let ticket = Ticket(
                eventId: eventId,
                userId: holder.userId,
                holderName: holder.name,
                holderEmail: holder.email,
                code: Identifier.randomCode(length: 16),
                price: event.price,
                currency: event.currency,
                soldAt: soldAt,
                saleHLC: saleHLC,
                soldBy: node,
                soldByUser: holder.soldByUser,
                paymentMethod: holder.paymentMethod
            )
            let id = Identifier.random(prefix: "t")
            try await transaction.put(Ticket.collection, id, body: JSONBody(encoding: ticket))
            tickets.append(Identified(id: id, value: ticket))
        }
        if let userId = holder.userId {
            let message = "\(quantity) ticket\(quantity == 1 ? "" : "s") for \(event.name)"
            try await transaction.notify(userId, message, kind: .ticketPurchased, eventId: eventId, at: soldAt)
        }
        return tickets
    }

    /// Tickets by id as `transaction` sees them (a repeated request answers with what it sold).
    package static nonisolated(nonsending) func tickets(_ ids: [String], in transaction: any StoreView) async throws -> [Identified<Ticket>] {
        var tickets: [Identified<Ticket>] = []
        for id in ids {
            if let document = try await transaction.get(Ticket.collection, id) { tickets.append(try Identified(decoding: document)) }
        }
        return tickets
    }

    /// A page of an event's tickets in sale order: all of them for staff, the caller's own for an attendee.
    package func tickets(of eventId: String, for caller: Identity, limit: Int, after cursor: TicketCursor?) async throws -> TicketPage {
        let eventId = try Validate.id(eventId, field: "eventId")
        return try await store.read { view in
            guard let event = try await view.get(Event.collection, eventId), !event.deleted else {
                throw DomainError.notFound(kind: "event", id: eventId)
            }
            let documents =
                caller.isStaff
                ? try await view.documents(index: VenueIndexes.tickets, key: VenueIndexes.ofEvent(eventId))
                : try await view.documents(index: VenueIndexes.tickets, key: VenueIndexes.ofUser(caller.userId)).filter {
                    $0.body.strings(["eventId"])["eventId"] == eventId
                }
            return try TicketPage.of(documents, limit: limit, after: cursor)
        }
    }

    /// The `count` newest live tickets of an event, newest first; for listings that show no holder
    /// data. Only those are decoded, whatever the event sold.
    package func liveTickets(of eventId: String, newest count: Int) async throws -> [Identified<Ticket>] {
        let documents = try await store.documents(index: VenueIndexes.tickets, key: VenueIndexes.liveOfEvent(eventId))
        return try documents.sorted { $0.version > $1.version }.prefix(count).map(Identified<Ticket>.init(decoding:))
    }

    /// A page of a user's tickets across events, in sale order.
    package func tickets(ofUser userId: String, limit: Int, after cursor: TicketCursor?) async throws -> TicketPage {
        try TicketPage.of(await store.documents(index: VenueIndexes.tickets, key: VenueIndexes.ofUser(userId)), limit: limit, after: cursor)
    }

    /// All of a user's tickets across events, in sale order; for a person's own pages.
    package func tickets(ofUser userId: String) async throws -> [Identified<Ticket>] {
        try await tickets(ofUser: userId, limit: .max, after: nil).tickets
    }

    /// The events a user holds live tickets for, each once, in the order of their first sale;
    /// read with the scanner, so an account with many tickets costs no decoding.
    package func eventsWithLiveTickets(ofUser userId: String) async throws -> [String] {
        let documents = try await store.documents(index: VenueIndexes.tickets, key: VenueIndexes.ofUser(userId))
        var seen = Set<String>()
        return TicketCursor.inSaleOrder(documents).compactMap { entry -> String? in
            let fields = entry.document.body.strings(["eventId", "status"])
            return fields["status"] == TicketStatus.valid.rawValue ? fields["eventId"] : nil
        }.filter { seen.insert($0).inserted }
    }

    /// Cancels a ticket (its holder or staff): the seat is free again and the holder is told. Staff
    /// also record here the refund of an oversold ticket, whose money is due back.
    package func cancel(_ id: String, by caller: Identity) async throws -> Identified<Ticket> {
        let id = try Validate.id(id, field: "id")
        let date = now()
        return try await store.transact { transaction in
            guard let document = try await transaction.get(Ticket.collection, id), !document.deleted else {
                throw DomainError.notFound(kind: "ticket", id: id)
            }
            var ticket = try document.body.decode(Ticket.self)
            guard ticket.userId == caller.userId || caller.isStaff else { throw DomainError.forbidden("this ticket belongs to another user") }
            // An oversold ticket holds no seat, but its money is due back: staff record that refund here.
            let refundingOversold = ticket.status == .oversold && caller.isStaff
            guard ticket.isLive || refundingOversold else {
                throw ticket.status == .cancelled
                    ? DomainError.ticketAlreadyCancelled(ticketId: id) : DomainError.ticketNotValid(code: ticket.code, status: ticket.status.rawValue)
            }
            // Invariant: a ticket used at the door keeps its seat; cancelling it would sell the seat twice.
            if let scan = try await transaction.get(CheckIn.collection, id), !scan.deleted { throw DomainError.ticketUsed(ticketId: id) }
            ticket.status = .cancelled
            ticket.cancelledAt = date
            ticket.cancelledBy = caller.userId
            ticket.cancelledOn = store.nodeID
            // The money goes back the way it came (nothing for a complimentary ticket).
            ticket.refundMethod = ticket.method
            try await transaction.put(Ticket.collection, id, body: JSONBody(encoding: ticket))
            if let userId = ticket.userId {
                try await transaction.notify(
                    userId,
                    "Your ticket \(ticket.code) is cancelled",
                    kind: .ticketCancelled,
                    eventId: ticket.eventId,
                    at: date
                )
            }
            return Identified(id: id, value: ticket)
        }
    }

    /// The document id of an idempotency key: a hash of the caller and the key, so keys of
    /// different users never collide and any key text makes a valid id.
    private static func idempotencyID(key: String, userId: String) throws(DomainError) -> String {
        guard !key.isEmpty, key.utf8.count <= 255 else {
            throw .invalidField("Idempotency-Key", "Idempotency-Key must be 1 to 255 characters")
        }
        let digest = SHA256.hash(data: Data((userId + "\u{0}" + key).utf8))
        return "k-" + digest.prefix(24).map { String(format: "%02x", $0) }.joined()
    }
}
