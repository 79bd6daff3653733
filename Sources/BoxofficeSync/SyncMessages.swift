public import BoxofficeCore

/// `GET /sync/info`: who a node is and where its feed ends, and the seats it wants.
public struct SyncInfo: Codable, Sendable, Equatable {
    public static let protocolVersion = 2

    public var nodeId: String
    public var `protocol`: Int
    public var hlc: String
    public var lastSeq: UInt64
    /// What `GET /sync/seat-wants` would answer the caller, so that a sync run needs no request
    /// of its own for it; absent from a node that does not send it (then the caller asks).
    public var seatWants: [SeatWants.Want]?

    public init(nodeId: String, protocol: Int = SyncInfo.protocolVersion, hlc: String, lastSeq: UInt64, seatWants: [SeatWants.Want]? = nil) {
        self.nodeId = nodeId
        self.protocol = `protocol`
        self.hlc = hlc
        self.lastSeq = lastSeq
        self.seatWants = seatWants
    }
}

/// A page of a node's changes feed, `GET /sync/changes`.
public struct ChangesPage: Sendable {
    public var versions: [Document]
    /// The position to ask for next (`since`).
    public var next: UInt64
    /// Whether the page reached the end of the durable feed.
    public var complete: Bool

    public init(versions: [Document], next: UInt64, complete: Bool) {
        self.versions = versions
        self.next = next
        self.complete = complete
    }
}

/// How far a node has applied another node's feed: stored with the batch it covers.
public struct Checkpoint: Codable, Sendable, Equatable {
    public var peer: String
    public var seq: UInt64
    /// Sent by a run started from the beginning on purpose (after a restore from a backup): the
    /// receiver stores this checkpoint even when it is lower than the one it has (sync-spec §8).
    public var restart: Bool?

    public init(peer: String, seq: UInt64, restart: Bool? = nil) {
        self.peer = peer
        self.seq = seq
        self.restart = restart
    }
}

/// The answer to `POST /sync/versions`.
public struct ApplyResult: Codable, Sendable, Equatable {
    public var applied = 0
    public var ignored = 0
    public var conflicts = 0

    public init(applied: Int = 0, ignored: Int = 0, conflicts: Int = 0) {
        self.applied = applied
        self.ignored = ignored
        self.conflicts = conflicts
    }
}

/// `POST /sync/seat-requests`: the calling node (the signer of the request) is short of seats for an
/// escrow event and asks for some of the receiving node's unsold ones.
public struct SeatRequest: Codable, Sendable, Equatable {
    public var eventId: String
    public var seats: Int
    /// The caller's recent demand, which sizes the grant; absent from nodes of protocol 2 before
    /// it was added (they are granted by the older rule, sync-spec 10.2).
    public var demand: SeatDemandRate?
    /// 0 (or absent) for the caller's own buyers' demand; n + 1 for demand that reached it with n.
    public var hops: Int?

    public init(eventId: String, seats: Int, demand: SeatDemandRate? = nil, hops: Int? = nil) {
        self.eventId = eventId
        self.seats = seats
        self.demand = demand
        self.hops = hops
    }
}

/// A node's demand for one event's seats over the last 10 seconds, in seats per minute: sold, turned
/// away for want of seats (here, or asked of it by peers it could not serve), and held.
public struct SeatDemandRate: Codable, Sendable, Equatable {
    public var sold: Double
    public var refused: Double
    public var held: Double

    public init(sold: Double = 0, refused: Double = 0, held: Double = 0) {
        self.sold = sold
        self.refused = refused
        self.held = held
    }

    public var seatsPerMinute: Double { sold + refused + held }
}

/// `GET /sync/seat-wants`: the escrow events the answering node is short of, with its demand; a
/// caller with seats to spare gives some (sync-spec 10.2). How a node with no peers of its own
/// gets seats back from the nodes that sync with it.
public struct SeatWants: Codable, Sendable, Equatable {
    public struct Want: Codable, Sendable, Equatable {
        public var eventId: String
        /// The seats the node lacks for its demand over the horizon.
        public var seats: Int
        public var demand: SeatDemandRate
        /// How many nodes this want passed through before the answering node (0: its own demand's).
        public var hops: Int

        public init(eventId: String, seats: Int, demand: SeatDemandRate, hops: Int = 0) {
            self.eventId = eventId
            self.seats = seats
            self.demand = demand
            self.hops = hops
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            eventId = try container.decode(String.self, forKey: .eventId)
            seats = try container.decode(Int.self, forKey: .seats)
            demand = try container.decode(SeatDemandRate.self, forKey: .demand)
            // Absent from nodes that do not relay wants.
            hops = try container.decodeIfPresent(Int.self, forKey: .hops) ?? 0
        }
    }

    public var wants: [Want]

    public init(wants: [Want]) {
        self.wants = wants
    }
}

/// The answer to a `SeatRequest`: how many seats the receiving node gave (0 or more). The gift is
/// a new version of its allocation row, which reaches the caller through the changes feed.
public struct SeatGrant: Codable, Sendable, Equatable {
    public var eventId: String
    public var granted: Int

    public init(eventId: String, granted: Int) {
        self.eventId = eventId
        self.granted = granted
    }
}
