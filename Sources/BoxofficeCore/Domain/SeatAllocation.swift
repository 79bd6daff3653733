/// One node's row of an event's seat-transfer matrix: the seats it has given each other node,
/// cumulative, and the seats it added to or removed from the capacity. Only `node` ever writes its
/// row and its `given` counts only grow, so rows never conflict and every node that has seen the
/// same rows computes the same allocations (a bounded counter, Balegas et al. 2015).
public struct AllocationRow: Codable, Sendable, Equatable {
    public static let collection = "allocations"

    public var eventId: String
    public var node: String
    public var given: [String: Int]
    /// Seats this node added to the capacity (negative: removed), out of its own share. Stale
    /// copies of another node's row change only that node's seats, never this one's.
    public var resized: Int
    /// Seats this node took, by an organizer's decision, from each node known to be dead:
    /// cumulative, only growing, as `given` (sync-spec 10.4).
    public var reclaimed: [String: Int]

    private enum CodingKeys: String, CodingKey { case eventId, node, given, resized, reclaimed }

    public init(eventId: String, node: String, given: [String: Int] = [:], resized: Int = 0, reclaimed: [String: Int] = [:]) {
        self.eventId = eventId
        self.node = node
        self.given = given
        self.resized = resized
        self.reclaimed = reclaimed
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        eventId = try container.decode(String.self, forKey: .eventId)
        node = try container.decode(String.self, forKey: .node)
        given = try container.decode([String: Int].self, forKey: .given)
        resized = try container.decodeIfPresent(Int.self, forKey: .resized) ?? 0
        reclaimed = try container.decodeIfPresent([String: Int].self, forKey: .reclaimed) ?? [:]
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(eventId, forKey: .eventId)
        try container.encode(node, forKey: .node)
        try container.encode(given, forKey: .given)
        try container.encode(resized, forKey: .resized)
        // Absent until a reclaim, so rows stay as nodes before reclaims wrote them.
        if !reclaimed.isEmpty { try container.encode(reclaimed, forKey: .reclaimed) }
    }

    /// The document id of `node`'s row for `eventId`.
    public static func id(eventId: String, node: String) -> String { eventId + "--" + node }
}

/// Escrow arithmetic: how many seats a node may sell on its own.
public enum SeatLedger {
    /// `node`'s seats: its initial share, plus what other nodes gave it, minus what it gave away,
    /// plus what it added to the capacity, plus what it reclaimed from dead nodes, minus what
    /// other nodes reclaimed from it.
    public static func seats(of node: String, initial: [String: Int], rows: [AllocationRow]) -> Int {
        var seats = initial[node] ?? 0
        for row in rows where row.node != node {
            seats += (row.given[node] ?? 0) - (row.reclaimed[node] ?? 0)
        }
        if let own = rows.first(where: { $0.node == node }) {
            seats += own.resized + own.reclaimed.values.reduce(0, +) - own.given.values.reduce(0, +)
        }
        return seats
    }

    /// The seats other nodes reclaimed from `node`: its sales beyond its seats are then oversold.
    public static func reclaimed(from node: String, rows: [AllocationRow]) -> Int {
        rows.reduce(0) { $0 + ($1.node == node ? 0 : $1.reclaimed[node] ?? 0) }
    }

    /// The event's capacity: as created, plus what every node added or removed since.
    public static func capacity(created: Int, rows: [AllocationRow]) -> Int {
        created + rows.reduce(0) { $0 + $1.resized }
    }
}

/// Automatic rebalancing (sync-spec.md, section 10.2): a node that is selling an event and runs
/// short of its own seats asks a reachable peer for some of that peer's unsold ones.
extension SeatLedger {
    /// Below this many unsold seats of its own, a node with buyers asks a peer for more.
    public static func lowWater(capacity: Int) -> Int { max(1, capacity / 20) }

    /// How many seats a short node asks a peer for.
    public static func request(capacity: Int) -> Int { 2 * lowWater(capacity: capacity) }

    /// Whether a node is short of seats: buyers want them here (it sold some, or turned buyers
    /// away) and it holds fewer unsold seats than the low-water mark. Without demand a node never
    /// asks, so idle nodes never pass seats back and forth.
    public static func isShort(remainingHere: Int, hasDemand: Bool, capacity: Int) -> Bool {
        hasDemand && remainingHere < lowWater(capacity: capacity)
    }

    /// What a peer holding `spare` unsold seats gives for a request of `requested` that carries
    /// no demand (a node of protocol 2 before demand was sent): half its spare, rounded up, or
    /// rounded down when it is short itself, so a busy node keeps its last seat and an idle one
    /// gives its last seat to where the buyers are.
    public static func grant(requested: Int, spare: Int, giverIsShort: Bool) -> Int {
        guard requested > 0, spare > 0 else { return 0 }
        return min(requested, giverIsShort ? spare / 2 : spare - spare / 2)
    }
}

/// Demand-aware rebalancing (sync-spec.md, section 10.2): seats go where buyers are, for as long
/// as their recent demand lasts, and come back from where they are not.
extension SeatLedger {
    /// How far ahead a grant looks (10 s): a few syncs, so that a node gets seats in steps as its
    /// buyers come, and none stay where the buyers were.
    public static let horizonMinutes = 1.0 / 6

    /// The seats a demand of `perMinute` seats per minute needs over the horizon.
    public static func need(perMinute: Double) -> Int {
        // Bounded: a peer's claimed demand never turns into an overflow.
        Int((min(max(0, perMinute), 1_000_000) * horizonMinutes).rounded(.up))
    }

    /// How many seats a short node with a demand of `perMinute` asks a peer for: what the demand
    /// needs, and at least `request(capacity:)`.
    public static func request(capacity: Int, perMinute: Double) -> Int {
        max(request(capacity: capacity), need(perMinute: perMinute))
    }

    /// What a node holding `spare` unsold seats, with a demand of its own of `ownPerMinute`, gives
    /// an asker with a demand of `askerPerMinute`, one of `askers` nodes asking lately: what the
    /// asker's demand needs (at most `requested`), out of what the giver holds beyond its own
    /// need, and at most an even share of it among the askers, so that no single asker takes
    /// seats the others' buyers are waiting for.
    public static func grant(requested: Int, spare: Int, askerPerMinute: Double, ownPerMinute: Double, askers: Int = 1) -> Int {
        let giving = spare - need(perMinute: ownPerMinute)
        let share = (giving + max(1, askers) - 1) / max(1, askers)
        return max(0, min(requested, need(perMinute: askerPerMinute), share))
    }

    /// A want that passed through this many nodes is not relayed further, so a want echoed around
    /// a cycle of peers dies out.
    public static let maxHops = 8

    /// The seats an idle node gives back: its unsold seats beyond a buffer of `lowWater`, so that
    /// the next walk-in buyer is still served at once.
    public static func surplus(remainingHere: Int, capacity: Int) -> Int {
        max(0, remainingHere - lowWater(capacity: capacity))
    }

    /// How many of its `surplus` idle seats `node` gives back to `peer`: all of them to the event's
    /// `home`, none from the home, and to any other peer no more than that peer gave `node` and
    /// has not had back. Invariant: idle seats flow back the way they came and stop, never to and
    /// fro between two idle nodes that each gave the other seats.
    public static func giveBack(surplus: Int, from node: String, to peer: String, home: String?, rows: [AllocationRow]) -> Int {
        guard surplus > 0, node != home else { return 0 }
        if peer == home { return surplus }
        let received = rows.first { $0.node == peer }?.given[node] ?? 0
        let returned = rows.first { $0.node == node }?.given[peer] ?? 0
        return max(0, min(surplus, received - returned))
    }
}
