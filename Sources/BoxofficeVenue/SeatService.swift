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
    /// Seats unsold this long without demand go back (`rebalance`).
    package let idleAfter: TimeInterval
    /// When this node last heard from the nodes it syncs with: which of them are offline.
    package let contacts: PeerContacts
    package let now: @Sendable () -> Date

    package init(
        store: any VersionedStore,
        demand: SeatDemand,
        idleAfter: TimeInterval = 30,
        contacts: PeerContacts = PeerContacts(),
        now: @escaping @Sendable () -> Date
    ) {
        self.store = store
        self.demand = demand
        self.idleAfter = idleAfter
        self.contacts = contacts
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

    /// Takes the unsold seats of event `id` that node `dead` holds, as this node knows them, for
    /// this node: an organizer's decision that `dead`, offline here, is not coming back (sync-spec
    /// 10.4). Should it return, its sales beyond what this node saw it sell become oversold.
    package func reclaim(event id: String, from dead: String, events: EventService) async throws -> (view: EventView, seats: Int) {
        let id = try Validate.id(id, field: "id")
        let dead = try Validate.id(dead, field: "node")
        let node = store.nodeID
        guard dead != node else { throw DomainError.conflictsWithState(field: "node", reason: "a node does not reclaim seats from itself") }
        let date = now()
        return try await store.transact { transaction in
            let event = try await events.event(id, in: transaction)
            guard event.salesPolicy == .escrow, event.status == .scheduled else {
                throw DomainError.conflictsWithState(field: "salesPolicy", reason: "seats are reclaimed only for scheduled events sold under escrow")
            }
            // Invariant: seats are reclaimed only from a node this one has lost touch with.
            switch contacts.standing(of: dead, synced: try await Self.synced(with: dead, in: transaction), at: date) {
            case .offline: break
            case .online:
                throw DomainError.conflictsWithState(
                    field: "node",
                    reason: "\(dead) is online: it synced with this node in the last \(Int(contacts.offlineAfter)) s"
                )
            case .unknown:
                throw DomainError.conflictsWithState(
                    field: "node",
                    reason: "\(dead) never synced with this node: reclaim its seats at a node it syncs with"
                )
            }
            let rows = try await Self.allocationRows(of: id, in: transaction)
            let sold = try await transaction.count(index: VenueIndexes.tickets, key: VenueIndexes.liveOfEvent(id, soldBy: dead))
            let seats = SeatLedger.seats(of: dead, initial: event.initialAllocations, rows: rows) - sold
            guard seats > 0 else { throw DomainError.conflictsWithState(field: "node", reason: "\(dead) holds no unsold seats of this event") }
            try await Self.changeRow(of: id, at: node, in: transaction) { $0.reclaimed[dead, default: 0] += seats }
            Self.logger.notice("seats reclaimed", metadata: ["event": "\(id)", "from": "\(dead)", "seats": "\(seats)"])
            let availability = try await Self.availability(of: id, event: event, node: node, at: date, in: transaction)
            return (EventView(id: id, event: event, availability: availability), seats)
        }
    }

    /// Unsold seats of a scheduled escrow event held by a node that is offline here.
    package struct Stranded: Sendable, Equatable {
        package var eventId: String
        package var eventName: String
        package var node: String
        package var seats: Int
        package var since: Date
    }

    /// Every node's unsold seats that cannot be sold until it returns: held by nodes offline here.
    package func stranded() async throws -> [Stranded] {
        let date = now()
        return try await store.read { view in
            var stranded: [Stranded] = []
            for document in try await view.documents(in: Event.collection) {
                guard !document.deleted, let event = try? document.body.decode(Event.self), event.salesPolicy == .escrow,
                    event.status == .scheduled
                else { continue }
                for holder in try await standings(of: document.id, event: event, at: date, in: view) {
                    guard case let .offline(since) = holder.standing, holder.unsold > 0 else { continue }
                    stranded.append(Stranded(eventId: document.id, eventName: event.name, node: holder.node, seats: holder.unsold, since: since))
                }
            }
            return stranded
        }
    }

    /// A node with seats or sales of an event: its seats, unsold seats and how it stands here.
    package struct Holder: Sendable, Equatable {
        package var node: String
        package var seats: Int
        package var sold: Int
        package var unsold: Int { max(0, seats - sold) }
        package var standing: PeerContacts.Standing
    }

    /// Every node with seats or transfers of event `id`, and the nodes `sellers`, as `view` sees
    /// them; this node is online.
    package nonisolated(nonsending) func standings(
        of id: String,
        event: Event,
        sellers: Set<String> = [],
        at date: Date,
        in view: any StoreView
    ) async throws -> [Holder] {
        let rows = try await Self.allocationRows(of: id, in: view)
        var nodes = Set(event.initialAllocations.keys).union(rows.map(\.node)).union(rows.flatMap(\.given.keys)).union(sellers)
        if let home = event.homeNode { nodes.insert(home) }
        var holders: [Holder] = []
        for node in nodes.sorted() {
            let sold = try await view.count(index: VenueIndexes.tickets, key: VenueIndexes.liveOfEvent(id, soldBy: node))
            let standing: PeerContacts.Standing =
                node == store.nodeID ? .online : contacts.standing(of: node, synced: try await Self.synced(with: node, in: view), at: date)
            holders.append(
                Holder(node: node, seats: SeatLedger.seats(of: node, initial: event.initialAllocations, rows: rows), sold: sold, standing: standing)
            )
        }
        return holders
    }

    /// Whether `node` synced with this node before (a checkpoint of what it sent).
    private static nonisolated(nonsending) func synced(with node: String, in view: any StoreView) async throws -> Bool {
        try await view.get(LocalNode.checkpoints, "from-" + node) != nil
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

    /// Answers a peer that is short of seats (`POST /sync/seat-requests`) by `SeatLedger.grant`:
    /// by the peer's demand when it sends one, keeping what this node's own demand needs. What the
    /// peer's demand needs beyond the grant becomes demand passed on here: this node then asks its
    /// other peers and shows it among its wants to other callers (`GET /sync/seat-wants`).
    package func grant(_ request: SeatRequest, to peer: String) async throws -> SeatGrant {
        let id = try Validate.id(request.eventId, field: "eventId")
        let peer = try Validate.id(peer, field: "keyid")
        let node = store.nodeID
        guard peer != node else { throw DomainError.conflictsWithState(field: "keyid", reason: "a node does not ask itself for seats") }
        guard Self.claimedSeats.contains(request.seats) else { throw DomainError.invalidField("seats", "seats must be between 1 and 1,000,000") }
        if let asked = request.demand, ![asked.sold, asked.refused, asked.held].allSatisfy({ (0...1_000_000).contains($0) }) {
            throw DomainError.invalidField("demand", "demand counts seats per minute, each between 0 and 1,000,000")
        }
        let hops = request.hops ?? 0
        guard Self.claimedHops.contains(hops) else { throw DomainError.invalidField("hops", "hops must be between 0 and 1,000") }
        let date = now()
        let own = demand.rate(of: id, at: date).seatsPerMinute
        let askers = demand.asked(id, by: peer, at: date)
        let grant = try await store.transact { transaction in
            guard let document = try await transaction.get(Event.collection, id), !document.deleted else {
                throw DomainError.notFound(kind: "event", id: id)
            }
            let event = try document.body.decode(Event.self)
            guard event.salesPolicy == .escrow, event.status == .scheduled else { return SeatGrant(eventId: id, granted: 0) }
            let here = try await Self.availability(of: id, event: event, node: node, at: date, in: transaction)
            let seats =
                request.demand.map {
                    SeatLedger.grant(
                        requested: request.seats,
                        spare: here.remainingHere,
                        askerPerMinute: $0.seatsPerMinute,
                        ownPerMinute: own,
                        askers: askers
                    )
                } ?? SeatLedger.grant(requested: request.seats, spare: here.remainingHere, giverIsShort: isShort(id, event, here, at: date))
            if seats > 0 { try await Self.give(seats, of: id, from: node, to: peer, in: transaction) }
            return SeatGrant(eventId: id, granted: seats)
        }
        if let asked = request.demand {
            demand.passOn(id, seats: SeatLedger.need(perMinute: asked.seatsPerMinute) - grant.granted, hops: hops, for: peer, at: date)
        }
        return grant
    }

    /// The escrow events this node is short of for the demand it sees (its buyers', what peers
    /// asked of it in vain, and what other peers' wants still lack), with that demand, as told to
    /// node `caller`: `GET /sync/seat-wants`.
    package func wants(for caller: String?) async throws -> SeatWants {
        let node = store.nodeID
        let date = now()
        let events = Set(demand.wanted(at: date, excluding: caller).keys).union(demand.relayed(at: date, excluding: caller).keys)
        return try await store.read { view in
            var wants: [SeatWants.Want] = []
            for id in events.sorted() {
                guard let document = try await view.get(Event.collection, id), !document.deleted,
                    let event = try? document.body.decode(Event.self), event.salesPolicy == .escrow, event.status == .scheduled
                else { continue }
                let here = try await Self.availability(of: id, event: event, node: node, at: date, in: view)
                if let want = demand.want(id, spare: here.remainingHere, at: date, for: caller) { wants.append(want) }
            }
            return SeatWants(wants: wants)
        }
    }

    /// After a sync with `peer` (node `peerNode`), while it is reachable: asks it for seats of
    /// every escrow event this node is short of, gives it seats of the events it wants and this
    /// node can spare (`known`: its wants as its `/sync/info` gave them; nil asks it), and gives
    /// back seats this node has not sold for `idleAfter` the way they came (`SeatLedger.giveBack`).
    /// Returns whether seats moved (then the caller syncs again at once, to fetch or deliver the
    /// rows).
    package func rebalance(with peer: PeerClient, node peerNode: String, wants known: [SeatWants.Want]? = nil) async throws -> Bool {
        let node = store.nodeID
        let date = now()
        let plan = try await store.read { view in
            var plan = Plan()
            for document in try await view.documents(in: Event.collection) {
                guard !document.deleted, let event = try? document.body.decode(Event.self), event.salesPolicy == .escrow,
                    event.status == .scheduled
                else { continue }
                let id = document.id
                let here = try await Self.availability(of: id, event: event, node: node, at: date, in: view)
                if isShort(id, event, here, at: date, excluding: peerNode) {
                    guard here.remaining > here.remainingHere else { continue }
                    // Demand passed on to this node travels on with its own, but never back to
                    // the peer it came from: requests go along chains and die out in cycles.
                    let wanted = demand.wanted(id, at: date, excluding: peerNode)
                    plan.requests.append(
                        SeatRequest(
                            eventId: id,
                            seats: SeatLedger.request(capacity: event.capacity, perMinute: wanted.seatsPerMinute),
                            demand: wanted,
                            hops: demand.hops(id, at: date, to: peerNode)
                        )
                    )
                } else if isIdle(id, at: date), case let surplus = SeatLedger.surplus(remainingHere: here.remainingHere, capacity: event.capacity),
                    surplus > 0
                {
                    let rows = try await Self.allocationRows(of: id, in: view)
                    let back = SeatLedger.giveBack(surplus: surplus, from: node, to: peerNode, home: event.homeNode, rows: rows)
                    if back > 0 { plan.returns.append((id, back)) }
                }
            }
            return plan
        }
        var moved = false
        for request in plan.requests {
            // A refused request (an older peer, an event it does not know yet) is not a failed
            // sync, and the other events are still asked for.
            do {
                moved = try await peer.requestSeats(request).granted > 0 || moved
            } catch {
                Self.logger.notice("seat request refused", metadata: ["peer": "\(peer.baseURL)", "event": "\(request.eventId)", "error": "\(error)"])
            }
        }
        // Seats go both ways over this one connection: the peer's wants are served from here. Its
        // `/sync/info` carries them; a node that does not send them there is asked.
        var wants = known
        if known == nil {
            do {
                wants = try await peer.seatWants().wants
            } catch {
                Self.logger.notice("seat wants not read", metadata: ["peer": "\(peer.baseURL)", "error": "\(error)"])
            }
        }
        var lacking: [String: (seats: Int, hops: Int)] = [:]
        for want in wants ?? [] {
            // A peer's want is a claim like its requests: out of range, it moves nothing.
            guard Self.claimedSeats.contains(want.seats), Self.claimedHops.contains(want.hops) else {
                Self.logger.notice("seat want refused", metadata: ["peer": "\(peer.baseURL)", "event": "\(want.eventId)", "seats": "\(want.seats)"])
                continue
            }
            let own = demand.rate(of: want.eventId, at: date).seatsPerMinute
            // What this node's own demand needs over the horizon stays here (`SeatLedger.grant`).
            let given = try await give(
                upTo: { spare, _ in
                    SeatLedger.grant(requested: want.seats, spare: spare, askerPerMinute: want.demand.seatsPerMinute, ownPerMinute: own)
                },
                of: want.eventId,
                to: peerNode
            )
            moved = given > 0 || moved
            lacking[want.eventId] = (want.seats - given, want.hops)
        }
        // What the wants still lack, the nodes that sync with this one are asked for in turn.
        if wants != nil {
            demand.relay(lacking, for: peerNode, at: date)
        }
        for (id, surplus) in plan.returns where !(wants ?? []).contains(where: { $0.eventId == id }) {
            moved = try await give(upTo: { min(surplus, SeatLedger.surplus(remainingHere: $0, capacity: $1)) }, of: id, to: peerNode) > 0 || moved
        }
        return moved
    }

    /// What `rebalance` found to do with one peer.
    private struct Plan: Sendable {
        var requests: [SeatRequest] = []
        var returns: [(String, Int)] = []
    }

    /// Gives node `peer` the seats `amount` allows out of this node's unsold seats of event `id`
    /// (`amount` takes the unsold seats and the capacity), checked again in the giving transaction.
    private func give(upTo amount: @escaping @Sendable (Int, Int) -> Int, of id: String, to peer: String) async throws -> Int {
        let node = store.nodeID
        let date = now()
        return try await store.transact { transaction in
            guard let document = try await transaction.get(Event.collection, id), !document.deleted,
                let event = try? document.body.decode(Event.self), event.salesPolicy == .escrow, event.status == .scheduled
            else { return 0 }
            let here = try await Self.availability(of: id, event: event, node: node, at: date, in: transaction)
            // Invariant: a node only gives away seats it holds and has not sold.
            let seats = min(amount(here.remainingHere, event.capacity), here.remainingHere)
            if seats > 0 { try await Self.give(seats, of: id, from: node, to: peer, in: transaction) }
            return max(0, seats)
        }
    }

    /// No demand here for `idleAfter`: none since the node started counts from its start.
    private func isIdle(_ id: String, at date: Date) -> Bool {
        date.timeIntervalSince(demand.lastDemand(for: id) ?? demand.startedAt) >= idleAfter
    }

    private static let logger = Logger(label: "boxoffice.seats")
    /// The seats and hops a peer's request or want may claim (sync-spec 10.2); beyond, it moves nothing.
    private static let claimedSeats = 1...1_000_000
    private static let claimedHops = 0...1_000

    /// Short of seats: below the low-water mark with recent demand here (its buyers', or passed on
    /// by peers other than `peer`).
    private func isShort(_ id: String, _ event: Event, _ here: Availability, at date: Date, excluding peer: String? = nil) -> Bool {
        SeatLedger.isShort(
            remainingHere: here.remainingHere,
            hasDemand: demand.wanted(id, at: date, excluding: peer).seatsPerMinute > 0,
            capacity: event.capacity
        )
    }
}
