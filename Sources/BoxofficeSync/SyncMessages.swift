public import BoxofficeCore

/// `GET /sync/info`: who a node is and where its feed ends.
public struct SyncInfo: Codable, Sendable, Equatable {
    public static let protocolVersion = 2

    public var nodeId: String
    public var `protocol`: Int
    public var hlc: String
    public var lastSeq: UInt64

    public init(nodeId: String, protocol: Int = SyncInfo.protocolVersion, hlc: String, lastSeq: UInt64) {
        self.nodeId = nodeId
        self.protocol = `protocol`
        self.hlc = hlc
        self.lastSeq = lastSeq
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

    public init(eventId: String, seats: Int) {
        self.eventId = eventId
        self.seats = seats
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
