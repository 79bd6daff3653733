public import BoxofficeCore
public import BoxofficeSync
public import BoxofficeVenue
public import Foundation

/// How a node serves its API.
public struct ServerConfiguration: Sendable {
    public var host = "127.0.0.1"
    /// 0 picks a free port (tests); the bound port is reported through `onListening`.
    public var port = 8080
    /// The cluster secret: proves this node to peers at enrollment (it never crosses the network)
    /// and keys the web pages' CSRF tokens.
    public var secret: String
    /// The node's own Ed25519 key: signs its sync requests and its access tokens.
    public var nodeKey: NodeKey
    /// How long an access token is valid.
    public var tokenLifetime: TimeInterval = 12 * 3600
    /// bcrypt cost for new password hashes (2^cost rounds); 10 or more per OWASP.
    public var passwordCost = 10
    /// Node ids allowed to sync with this node; empty accepts any node that has the secret.
    public var allowedPeers: Set<String> = []
    /// Peer URLs to sync with continuously, every `syncInterval`.
    public var peers: [String] = [] {
        didSet { peerStatus = SyncStatusBoard(urls: peers) }
    }
    public var syncInterval: Duration = .seconds(2)
    /// The continuous sync's view of each peer, for `GET /sync/status`.
    public var peerStatus = SyncStatusBoard()
    /// The demand for escrow seats here (sold, turned away, held); shared with the continuous
    /// sync, which moves seats between peers by it (`VenueRules.rebalance`).
    public var seatDemand = SeatDemand()
    /// Seats unsold this long without demand go back the way they came (seconds; `SeatLedger.giveBack`).
    public var seatIdleAfter: TimeInterval = 30
    /// When each node that syncs with this one was last heard from; offline after its `offlineAfter`.
    public var peerContacts = PeerContacts()
    /// The venue's time zone: a day given without a time (the web app's Create Event form) is a day here.
    public var timeZone: TimeZone = .gmt
    /// What an event created under `/api` gets for the fields the web app's form leaves out.
    public var eventDefaults = EventDefaults()
    /// The certificate and key to serve HTTPS with; nil serves plain HTTP.
    public var tls: ServerTLS?
    /// How the continuous sync verifies its HTTPS peers.
    public var peerTrust = PeerTrust()
    /// Timeouts and the cap on open connections.
    public var connections = ConnectionLimits()
    /// The node's clock for timestamps in documents; injectable for tests.
    public var now: @Sendable () -> Date = { Date() }
    /// Called with the bound port once the server listens.
    public var onListening: @Sendable (Int) async -> Void = { _ in }

    public init(secret: String, nodeKey: NodeKey) {
        self.secret = secret
        self.nodeKey = nodeKey
    }
}
