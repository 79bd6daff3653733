package import BoxofficeCore
package import BoxofficeStore
package import Foundation

/// An event as the API shows it: its fields, its id, and its availability.
package struct EventView: Encodable, Sendable {
    package let id: String
    /// The event document; its `capacity` is as created, `availability.capacity` is the one now.
    package let event: Event
    package let availability: Availability

    private enum CodingKeys: String, CodingKey { case id, sold, held, remaining, remainingHere }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(availability.sold, forKey: .sold)
        try container.encode(availability.held, forKey: .held)
        try container.encode(availability.remaining, forKey: .remaining)
        try container.encode(availability.remainingHere, forKey: .remainingHere)
        // People see the capacity now, with the seats nodes added or removed since creation.
        var shown = event
        shown.capacity = availability.capacity
        try shown.encode(to: encoder)
    }
}

/// The fields an organizer sets when creating or editing an event; nil leaves a field as it is.
package struct EventInput: Decodable, Sendable {
    package var name: String?
    package var description: String?
    package var date: Date?
    package var location: String?
    package var capacity: Int?
    package var price: Decimal?
    package var currency: String?
    package var salesPolicy: SalesPolicy?
    /// How long a hold keeps seats, 1 to 120 minutes.
    package var holdMinutes: Int?
    /// The initial split of the seats between nodes, at creation only; default: all seats here.
    package var allocations: [String: Int]?

    package init(
        name: String? = nil,
        description: String? = nil,
        date: Date? = nil,
        location: String? = nil,
        capacity: Int? = nil,
        price: Decimal? = nil,
        currency: String? = nil,
        salesPolicy: SalesPolicy? = nil,
        holdMinutes: Int? = nil,
        allocations: [String: Int]? = nil
    ) {
        self.name = name
        self.description = description
        self.date = date
        self.location = location
        self.capacity = capacity
        self.price = price
        self.currency = currency
        self.salesPolicy = salesPolicy
        self.holdMinutes = holdMinutes
        self.allocations = allocations
    }
}

/// Events: created and changed by organizers, listed by everyone.
package struct EventService: Sendable {
    package let store: any VersionedStore
    package let now: @Sendable () -> Date

    package init(store: any VersionedStore, now: @escaping @Sendable () -> Date) {
        self.store = store
        self.now = now
    }
    package let cache = VersionedCache<Version, Event>()
    /// Encoded `GET /events/{id}` answers: browsing is the most common request of all.
    package let responses = VersionedCache<ResponseStamp, [UInt8]>()
    /// Pages of the listing by their query, each for the store's `lastSeq` it was read at and
    /// until the first moment time alone changes it (an event starts, a hold expires).
    let listings = VersionedCache<UInt64, Listing>(limit: 1_000)

    package struct Listing: Sendable {
        package let events: [EventView]
        package let next: EventCursor?
        let validUntil: Date
    }

    package struct ResponseStamp: Equatable, Sendable {
        package let version: Version
        package let availability: Availability
    }

    package func create(_ input: EventInput, by organizer: Identity) async throws -> EventView {
        func required<T>(_ value: T?, _ field: String) throws(DomainError) -> T {
            guard let value else { throw .invalidField(field, "\(field) is required") }
            return value
        }
        let date = now()
        var event = Event(
            name: try required(input.name, "name"),
            description: input.description ?? "",
            date: try required(input.date, "date"),
            location: try required(input.location, "location"),
            capacity: try required(input.capacity, "capacity"),
            price: try required(input.price, "price"),
            currency: try required(input.currency, "currency"),
            salesPolicy: input.salesPolicy ?? .escrow,
            allocations: input.allocations,
            homeNode: store.nodeID,
            holdMinutes: input.holdMinutes,
            organizerId: organizer.userId,
            createdAt: date,
            updatedAt: date
        )
        try Self.normalize(&event)
        if let allocations = event.allocations {
            guard allocations.keys.allSatisfy(Identifier.isValid), allocations.values.allSatisfy({ $0 >= 0 }),
                allocations.values.reduce(0, +) == event.capacity
            else { throw DomainError.unprocessable("allocations", "allocations must give node ids whole numbers of seats adding up to the capacity") }
        }
        let id = Identifier.random(prefix: "e")
        try await store.put(Event.collection, id, body: JSONBody(encoding: event))
        let here = event.salesPolicy == .escrow ? event.initialAllocations[store.nodeID] ?? 0 : event.capacity
        return EventView(
            id: id,
            event: event,
            availability: Availability(capacity: event.capacity, sold: 0, remaining: event.capacity, remainingHere: here, soldHere: 0)
        )
    }

    /// One event with its availability.
    package func view(_ id: String) async throws -> EventView { try await read(id).view }

    /// One event with its availability, as the JSON the API answers with.
    package func encodedView(_ id: String) async throws -> [UInt8] {
        let (version, view) = try await read(id)
        return try responses.value(for: view.id, stamp: ResponseStamp(version: version, availability: view.availability)) {
            try JSONCoding.encode(view)
        }
    }

    /// One read on the store for an event, its version and its availability.
    private func read(_ id: String) async throws -> (version: Version, view: EventView) {
        let id = try Validate.id(id, field: "id")
        let node = store.nodeID
        let date = now()
        return try await store.read { transaction in
            guard let document = try await transaction.get(Event.collection, id), !document.deleted else {
                throw DomainError.notFound(kind: "event", id: id)
            }
            let event = try cache.decoded(document)
            let availability = try await SeatService.availability(of: id, event: event, node: node, at: date, in: transaction)
            return (document.version, EventView(id: id, event: event, availability: availability))
        }
    }

    /// Events dated in `from...to` (default: from now on), soonest first, `limit` at a time.
    /// `cursor` is the `nextCursor` of the previous page; `name`, when given, is a part of the
    /// name to look for (case insensitive).
    package func list(
        from: Date?,
        to: Date?,
        matching name: String? = nil,
        limit: Int,
        cursor: EventCursor?
    ) async throws -> (events: [EventView], next: EventCursor?) {
        let date = now()
        let query =
            [from, to].map { $0.map { "\($0.timeIntervalSince1970)" } ?? "-" }.joined(separator: "|") + "|\(limit)|\(cursor?.token ?? "-")|"
            + (name ?? "")
        if let hit = listings.cached(query, stamp: store.lastSeq), date < hit.validUntil { return (hit.events, hit.next) }
        let node = store.nodeID
        // One read on the store for the listing and the availability of the whole page.
        let listing = try await store.read { transaction in
            let after = from ?? date
            let candidates = try await transaction.documents(in: Event.collection).compactMap { document -> (String, Event)? in
                guard !document.deleted else { return nil }
                let event = try cache.decoded(document)
                guard event.date >= after, to.map({ event.date <= $0 }) ?? true else { return nil }
                // Before the limit: a page holds `limit` matches, not the matches among `limit` events.
                if let name, !event.name.localizedCaseInsensitiveContains(name) { return nil }
                if let cursor, (event.date, document.id) <= (cursor.date, cursor.id) { return nil }
                return (document.id, event)
            }
            let page = candidates.sorted { ($0.1.date, $0.0) < ($1.1.date, $1.0) }.prefix(limit)
            var views: [EventView] = []
            for (id, event) in page {
                views.append(
                    EventView(
                        id: id,
                        event: event,
                        availability: try await SeatService.availability(of: id, event: event, node: node, at: date, in: transaction)
                    )
                )
            }
            let next = candidates.count > limit ? page.last.map { EventCursor(date: $0.1.date, id: $0.0) } : nil
            // Time alone changes the page when its first event starts (it leaves the listing) or a
            // hold on it expires; a minute at most, to be safe.
            let changes = views.map(\.event.date) + views.compactMap(\.availability.heldUntil) + [date.addingTimeInterval(60)]
            let listing = Listing(events: views, next: next, validUntil: changes.min()!)
            // Inside the transaction nothing else writes, so this is the seq the page was read at.
            listings.keep(listing, for: query, stamp: store.lastSeq)
            return listing
        }
        return (listing.events, listing.next)
    }

    /// Changes the given fields; ticket holders are told when the date or place moves.
    package func update(_ id: String, with input: EventInput, by organizer: Identity) async throws -> EventView {
        try await changeScheduled(id) { event, transaction, date, node in
            let before = event
            if let name = input.name { event.name = name }
            if let description = input.description { event.description = description }
            if let eventDate = input.date { event.date = eventDate }
            if let location = input.location { event.location = location }
            if let capacity = input.capacity {
                try Self.check(capacity: capacity)
                let current = try await SeatService.availability(of: id, event: event, node: node, at: date, in: transaction)
                let change = capacity - current.capacity
                // Invariant: the seats added or removed are this node's own (sync-spec.md, section
                // 10.1), and it removes only seats it has not sold, held or given away.
                if event.salesPolicy == .escrow && -change > current.remainingHere {
                    let elsewhere = current.capacity - current.remainingHere
                    throw DomainError.conflictsWithState(
                        field: "capacity",
                        reason:
                            "this node can remove at most its \(current.remainingHere) unsold seat\(current.remainingHere == 1 ? "" : "s") (\(elsewhere) \(elsewhere == 1 ? "is" : "are") sold, held or elsewhere)"
                    )
                }
                let live = try await transaction.count(index: VenueIndexes.tickets, key: VenueIndexes.liveOfEvent(id))
                // Invariant: the capacity never drops below the seats sold and held.
                guard capacity >= live + current.held else {
                    throw DomainError.conflictsWithState(
                        field: "capacity",
                        reason: "capacity cannot go below the \(live) tickets sold and \(current.held) seats held"
                    )
                }
                if change != 0 { try await SeatService.resize(id, by: change, at: node, in: transaction) }
            }
            if let price = input.price { event.price = price }
            if let currency = input.currency { event.currency = currency }
            // Invariant: the sales policy never changes: nodes apart sell by it, and the seat rules
            // of one policy cannot settle sales made under the other (sync-spec.md, section 10).
            if let salesPolicy = input.salesPolicy, salesPolicy != event.salesPolicy {
                throw DomainError.conflictsWithState(
                    field: "salesPolicy",
                    reason: "the sales policy is fixed when the event is created; cancel the event and create another to change it"
                )
            }
            if let allocations = input.allocations, allocations != event.initialAllocations {
                throw DomainError.conflictsWithState(
                    field: "allocations",
                    reason: "allocations are set at creation; move seats with POST /events/{id}/allocations/transfer"
                )
            }
            if let holdMinutes = input.holdMinutes { event.holdMinutes = holdMinutes }
            try Self.normalize(&event)
            if event.date != before.date || event.location != before.location {
                let message = "\(event.name) has changed: \(event.location), \(event.date.formatted(.iso8601))"
                try await Self.notifyHolders(of: id, in: transaction, message: message, kind: .eventChanged, at: date)
            }
        }
    }

    /// Cancels an event: nothing more is sold, and every ticket holder is told.
    package func cancel(_ id: String, by organizer: Identity) async throws -> EventView {
        try await changeScheduled(id) { event, transaction, date, _ in
            event.status = .cancelled
            try await Self.notifyHolders(of: id, in: transaction, message: Self.cancellationMessage(event), kind: .eventCancelled, at: date)
        }
    }

    /// Runs `change` on an event that is not cancelled, in one transaction with saving it, and
    /// returns its view as it is then. `change` gets the time and this node's id.
    private nonisolated(nonsending) func changeScheduled(
        _ id: String,
        _ change:
            nonisolated(nonsending) @Sendable (_ event: inout Event, _ transaction: any StoreTransaction, _ date: Date, _ node: String) async throws
            -> Void
    ) async throws -> EventView {
        let id = try Validate.id(id, field: "id")
        let date = now()
        let node = store.nodeID
        try await store.transact { transaction in
            let before = try await event(id, in: transaction)
            guard before.status != .cancelled else { throw DomainError.eventCancelled(eventId: id) }
            var event = before
            try await change(&event, transaction, date, node)
            // Invariant: an edit that leaves the event as it was (a capacity change lives in this
            // node's allocation row) writes no new version, which would win over a real edit made
            // at another venue meanwhile.
            guard event != before else { return }
            event.updatedAt = date
            try await transaction.put(Event.collection, id, body: JSONBody(encoding: event))
        }
        // Read back: a new allocation row (a capacity change) is filed only once the write commits.
        return try await view(id)
    }

    /// A live event as `transaction` sees it, else 404.
    package nonisolated(nonsending) func event(_ id: String, in transaction: any StoreView) async throws -> Event {
        guard let document = try await transaction.get(Event.collection, id), !document.deleted else {
            throw DomainError.notFound(kind: "event", id: id)
        }
        return try cache.decoded(document)
    }

    private static nonisolated(nonsending) func notifyHolders(
        of eventId: String,
        in transaction: any StoreTransaction,
        message: String,
        kind: NotificationKind,
        at date: Date
    ) async throws {
        let holders = Set(
            try await transaction.documents(index: VenueIndexes.tickets, key: VenueIndexes.liveOfEvent(eventId))
                .compactMap { try? $0.body.decode(Ticket.self).userId }
        )
        for userId in holders.sorted() { try await transaction.notify(userId, message, kind: kind, eventId: eventId, at: date) }
    }

    static func cancellationMessage(_ event: Event) -> String { "\(event.name) is cancelled" }

    /// An event cancelled at another node, learnt by sync: that node told the holders it knew of;
    /// this one tells the holders of the tickets it sold that have not been told (sold while apart),
    /// once each. `stored` are the batch's versions, not yet in the indexes.
    static nonisolated(nonsending) func notifyOwnHoldersOfCancellation(
        _ eventId: String,
        event: Event,
        stored: [Document],
        in transaction: any StoreTransaction,
        node: String,
        at date: Date
    ) async throws {
        let sold = try await transaction.documents(index: VenueIndexes.tickets, key: VenueIndexes.liveOfEvent(eventId, soldBy: node))
        let holders = Set(sold.compactMap { $0.body.strings(["userId"])["userId"] })
        guard !holders.isEmpty else { return }
        // The users a notice of this cancellation is addressed to, read once per document (the
        // batch may hold the canceller's notices, not yet in the indexes).
        func toldUser(_ document: Document) -> String? {
            let fields = document.body.strings(["userId", "kind", "eventId"])
            guard !document.deleted, fields["kind"] == NotificationKind.eventCancelled.rawValue, fields["eventId"] == eventId else { return nil }
            return fields["userId"]
        }
        let toldInBatch = Set(stored.filter { $0.collection == UserNotification.collection }.compactMap(toldUser))
        for userId in holders.sorted() where !toldInBatch.contains(userId) {
            let inbox = try await transaction.documents(index: VenueIndexes.notifications, key: VenueIndexes.ofUser(userId))
            if !inbox.contains(where: { toldUser($0) == userId }) {
                try await transaction.notify(userId, cancellationMessage(event), kind: .eventCancelled, eventId: eventId, at: date)
            }
        }
    }

    private static func check(capacity: Int) throws(DomainError) {
        guard (1...1_000_000).contains(capacity) else { throw .invalidField("capacity", "capacity must be between 1 and 1,000,000") }
    }

    private static func normalize(_ event: inout Event) throws(DomainError) {
        event.name = try Validate.text(event.name, field: "name", maxLength: 200)
        event.location = try Validate.text(event.location, field: "location", maxLength: 200)
        guard event.description.count <= 10_000 else { throw .invalidField("description", "description must be at most 10,000 characters") }
        try Validate.printable(event.description, field: "description")
        try check(capacity: event.capacity)
        if let minutes = event.holdMinutes, !(1...120).contains(minutes) {
            throw .invalidField("holdMinutes", "holdMinutes must be between 1 and 120")
        }
        guard event.price >= 0, event.price <= 1_000_000 else { throw .invalidField("price", "price must be between 0 and 1,000,000") }
        event.currency = try Validate.currency(event.currency)
        // Invariant: a price is whole minor units of its currency, so every sum of prices is exact on every node.
        guard Money(event.price, currency: event.currency) != nil else {
            let places = Money.exponent(of: event.currency)
            throw .invalidField(
                "price",
                "price must be in whole minor units of \(event.currency): at most \(places) decimal place\(places == 1 ? "" : "s")"
            )
        }
    }
}

/// A position in the event list: the date and id of the last event of a page.
package struct EventCursor: Sendable {
    package let date: Date
    package let id: String

    /// Opaque to clients: `<unix milliseconds>_<id>`.
    package var token: String { "\(Int64((date.timeIntervalSince1970 * 1000).rounded()))_\(id)" }

    package init(date: Date, id: String) {
        self.date = date
        self.id = id
    }

    package init?(token: String) {
        guard let separator = token.firstIndex(of: "_"), let millis = Int64(token[..<separator]) else { return nil }
        let id = String(token[token.index(after: separator)...])
        guard Identifier.isValid(id) else { return nil }
        self.init(date: Date(timeIntervalSince1970: Double(millis) / 1000), id: id)
    }
}
