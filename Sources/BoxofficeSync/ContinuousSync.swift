public import Foundation

/// What `GET /sync/status` shows of one peer.
public struct PeerStatus: Codable, Sendable, Equatable {
    public var url: String
    public var nodeId: String?
    public var lastAttempt: Date?
    public var lastSuccess: Date?
    /// Why the last attempt failed; nil after a success.
    public var lastError: String?
    /// Versions of the peer's feed not yet applied here, as of the last attempt that reached it.
    public var lagVersions: UInt64?
    public var pulled = 0
    public var pushed = 0
    public var conflicts = 0
}

/// The live status of every configured peer.
public actor SyncStatusBoard {
    private var peers: [String: PeerStatus] = [:]

    public init(urls: [String] = []) {
        for url in urls { peers[url] = PeerStatus(url: url) }
    }

    public var all: [PeerStatus] { peers.values.sorted { $0.url < $1.url } }

    func update(_ url: String, _ change: (inout PeerStatus) -> Void) {
        var status = peers[url] ?? PeerStatus(url: url)
        change(&status)
        peers[url] = status
    }
}

/// Syncs this node with each configured peer in the background: every `interval` while the
/// peer answers, backing off (doubling, up to 16 intervals and at most a minute) while it does
/// not, so a link that comes back is used again within seconds.
public struct ContinuousSync: Sendable {
    public let local: LocalNode
    public let peers: [String]
    public let key: NodeKey
    public let secret: String
    public let trust: PeerTrust
    public let interval: Duration
    public let board: SyncStatusBoard
    public let afterSync: AfterSync?

    /// Runs after each successful sync with a peer (whose `GET /sync/info` answered `info` at the
    /// start of the run), while it is reachable (for example: moving seats). Returns true when
    /// either side changed something to sync at once.
    public typealias AfterSync = @Sendable (_ peer: PeerClient, _ info: SyncInfo) async throws -> Bool

    public init(
        local: LocalNode,
        peers: [String],
        key: NodeKey,
        secret: String,
        trust: PeerTrust = PeerTrust(),
        interval: Duration = .seconds(2),
        board: SyncStatusBoard,
        afterSync: AfterSync? = nil
    ) {
        self.local = local
        self.peers = peers
        self.key = key
        self.secret = secret
        self.trust = trust
        self.interval = interval
        self.board = board
        self.afterSync = afterSync
    }

    private var maxBackoff: Duration { max(interval, min(interval * 16, .seconds(60))) }

    /// Runs until the task is cancelled.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            for url in peers { group.addTask { await loop(url) } }
        }
    }

    private func loop(_ url: String) async {
        let remote = PeerClient(baseURL: url, key: key, joining: LocalNode.joining(local.store, secret: secret), trust: trust, attempts: 1)
        let synchronizer = Synchronizer(local: local, remote: remote)
        var delay = interval
        while !Task.isCancelled {
            let attempt = Date()
            do {
                let info = try await remote.info()
                let applied = try await local.checkpoint(from: info.nodeId)
                await board.update(url) { status in
                    status.nodeId = info.nodeId
                    status.lagVersions = info.lastSeq > applied ? info.lastSeq - applied : 0
                }
                var summary = try await synchronizer.run()
                if let afterSync, try await afterSync(remote, info) {
                    let again = try await synchronizer.run()
                    summary.pulled += again.pulled
                    summary.pushed += again.pushed
                    summary.conflicts += again.conflicts
                }
                await board.update(url) { status in
                    status.lastAttempt = attempt
                    status.lastSuccess = Date()
                    status.lastError = nil
                    status.lagVersions = 0
                    status.pulled += summary.pulled
                    status.pushed += summary.pushed
                    status.conflicts += summary.conflicts
                }
                delay = interval
            } catch {
                await board.update(url) { status in
                    status.lastAttempt = attempt
                    status.lastError = "\(error)"
                }
                delay = min(delay * 2, maxBackoff)
            }
            try? await Task.sleep(for: delay)
        }
    }
}
