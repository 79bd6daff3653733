public import BoxofficeCore
public import BoxofficeStore
import Crypto
public import Foundation
public import Logging

/// This node's side of a sync, straight on its store: what `/sync/*` serves, and what
/// `boxoffice sync` uses when the node is not running.
public struct LocalNode: SyncEndpoint {
    /// Local bookkeeping, never sent to peers: how far each peer's feed has been applied.
    public static let checkpoints = "sync-checkpoints"
    /// Pages stop growing past this many body bytes (the last version may cross it).
    public static let maxPageBytes = 4 << 20
    public static let maxPageVersions = 1_000
    /// The largest `POST /sync/versions` body accepted.
    public static let maxBatchBytes = 8 << 20

    /// Domain rules run once per batch on the versions it stored, in the batch's transaction (for
    /// example: two accounts with one email, an overbooked event). They may write documents, such
    /// as conflict records. The secondary indexes do not yet hold `stored`.
    public typealias MergeHook =
        nonisolated(nonsending) @Sendable (_ stored: [Document], _ transaction: any StoreTransaction, _ node: String, _ now: Date) async throws ->
        Void

    /// A domain rule read on each arriving version before its batch is applied, without the store
    /// (for example: its body reads as its collection's type); what it throws refuses the version.
    public typealias VersionCheck = @Sendable (Document) throws -> Void

    public let store: any VersionedStore
    private let now: @Sendable () -> Date
    private let versionCheck: VersionCheck?
    private let afterMerge: MergeHook?

    public init(
        store: any VersionedStore,
        now: @escaping @Sendable () -> Date = { Date() },
        check: VersionCheck? = nil,
        afterMerge: MergeHook? = nil
    ) {
        self.store = store
        self.now = now
        self.versionCheck = check
        self.afterMerge = afterMerge
    }

    public func info() async throws -> SyncInfo {
        SyncInfo(nodeId: store.nodeID, hlc: try await store.lastHLC().description, lastSeq: try await store.statistics().durableSeq)
    }

    public func changes(since: UInt64, limit: Int) async throws -> ChangesPage {
        guard (1...Self.maxPageVersions).contains(limit) else {
            throw SyncError.badRequest("limit must be between 1 and \(Self.maxPageVersions)")
        }
        let batch = try await store.changes(since: since, limit: limit)
        guard since <= batch.end else { throw SyncError.sinceBeyondFeed(since: since, end: batch.end) }
        var versions: [Document] = []
        var bytes = 0
        var position = since
        for change in batch.changes {
            if bytes >= Self.maxPageBytes { return ChangesPage(versions: versions, next: position, complete: false) }
            position = change.seq
            // Checkpoints are this node's own bookkeeping: skipped, but the position moves past them.
            guard change.document.collection != Self.checkpoints else { continue }
            versions.append(change.document)
            bytes += change.document.body.bytes.count
        }
        return ChangesPage(versions: versions, next: batch.next, complete: batch.complete)
    }

    /// Enrolling with a peer from this store: its own roster record, proved with `secret`.
    public static func joining(_ store: any VersionedStore, secret: String) -> PeerClient.Joining {
        PeerClient.Joining(secret: secret) {
            guard let record = try await store.get(NodeRecord.collection, store.nodeID) else {
                throw SyncError.badRequest("this node has no roster record yet: start it once with boxoffice serve")
            }
            return record
        }
    }

    public func checkpoint(from peer: String) async throws -> UInt64 {
        guard Identifier.isValid(peer), let document = try await store.get(Self.checkpoints, "from-" + peer) else { return 0 }
        return try document.body.decode(Checkpoint.self).seq
    }

    /// After a start-up that lost versions (a damaged journal frame), pulls every peer's feed again
    /// from its start: a later frame may hold a checkpoint past the versions lost, and merging what
    /// is already here changes nothing. Returns the number of checkpoints set back.
    @discardableResult
    public static func pullAgainIfVersionsWereLost(_ store: DocumentStore, logger: Logger) async throws -> Int {
        guard store.recovery.lostVersions else { return 0 }
        let reset = try await store.transact { transaction in
            let current = try await transaction.documents(in: Self.checkpoints).filter { !$0.deleted }
            for document in current {
                let peer = try document.body.decode(Checkpoint.self).peer
                try await transaction.put(Self.checkpoints, document.id, body: JSONBody(encoding: Checkpoint(peer: peer, seq: 0)))
            }
            return current.count
        }
        logger.warning(
            "the journal lost versions; the next sync pulls every peer's feed from the start. If the journal lost its end, peers may have counted sequence numbers this node will reuse: run `boxoffice sync <peer-url> --from-start` against each peer",
            metadata: ["checkpoints": "\(reset)"]
        )
        return reset
    }

    /// Runs the version check on every live version of a batch (not on tombstones: a deletion has no body to read).
    public func check(_ versions: [Document]) -> CheckedBatch {
        guard let versionCheck else { return CheckedBatch(versions: versions) }
        var refusals: [Int: any Error] = [:]
        for (index, version) in versions.enumerated() where !version.deleted {
            do { try versionCheck(version) } catch { refusals[index] = error }
        }
        return CheckedBatch(versions: versions, refusals: refusals)
    }

    /// Merges a batch by the merge rule; every concurrent loser becomes a conflict record; the
    /// checkpoint is stored in the same transaction, so a batch is applied once and only once.
    public func apply(_ batch: CheckedBatch, checkpoint: Checkpoint?) async throws -> ApplyResult {
        let node = store.nodeID
        let detectedAt = now()
        let afterMerge = afterMerge
        let versions = batch.versions
        return try await store.transact { transaction in
            var result = ApplyResult()
            var stored: [Document] = []
            let revoked = try await Self.revocations(in: transaction, arriving: versions)
            for (index, incoming) in versions.enumerated() {
                guard incoming.collection != Self.checkpoints else { continue }
                // Invariant: what a revoked node wrote after its revocation is taken nowhere, however it travels.
                if let since = revoked[incoming.version.node], incoming.version.hlc.wallMillis >= since {
                    result.ignored += 1
                    continue
                }
                let decision = try await transaction.merge(incoming)
                if decision.storesIncoming {
                    // Invariant: a version this node would store passed its checks (throwing here writes nothing of the batch).
                    if let refusal = batch.refusals[index] { throw refusal }
                    stored.append(incoming)
                }
                switch decision {
                case .apply: result.applied += 1
                case .ignore: result.ignored += 1
                case .applyOverConcurrent, .keepOverConcurrent: result.conflicts += 1
                }
                // Conflict records merge by last-writer-wins too; a record is never made about a record.
                if let loser = decision.loser, incoming.collection != ConflictRecord.collection {
                    // After a concurrent merge the transaction holds the winner, whichever it was:
                    // one lookup per version on the common path, where nothing was concurrent.
                    let winner = try await transaction.get(incoming.collection, incoming.id) ?? incoming
                    try await Self.record(loser: loser, winner: winner, in: transaction, by: node, at: detectedAt)
                }
            }
            if !stored.isEmpty { try await afterMerge?(stored, transaction, node, detectedAt) }
            if let checkpoint {
                let current =
                    try await transaction.get(Self.checkpoints, "from-" + checkpoint.peer).flatMap { try? $0.body.decode(Checkpoint.self).seq } ?? 0
                // Invariant: a checkpoint only moves forward, unless a run from the start says to.
                if checkpoint.seq > current || checkpoint.restart == true {
                    try await transaction.put(
                        Self.checkpoints,
                        "from-" + checkpoint.peer,
                        body: JSONBody(encoding: Checkpoint(peer: checkpoint.peer, seq: checkpoint.seq))
                    )
                }
            }
            return result
        }
    }

    /// When each revoked node was revoked (Unix milliseconds, the earliest decision), from the
    /// store and from the batch itself, which may carry the decision with later versions.
    private static nonisolated(nonsending) func revocations(
        in transaction: any StoreTransaction,
        arriving: [Document]
    ) async throws -> [String: UInt64] {
        let stored = try await transaction.documents(in: NodeDecision.collection)
        let decisions = (stored + arriving.filter { $0.collection == NodeDecision.collection }).filter { !$0.deleted }
            .compactMap { try? $0.body.decode(NodeDecision.self) }.filter { $0.action == .revoked }
        var since: [String: UInt64] = [:]
        for decision in decisions {
            let millis = UInt64(max(0, decision.at.timeIntervalSince1970 * 1000))
            since[decision.nodeId] = min(since[decision.nodeId] ?? .max, millis)
        }
        return since
    }

    /// The conflict record of a loser: its id comes from the two versions, so every node that
    /// detects the same conflict writes the same record instead of a new one.
    private static nonisolated(nonsending) func record(
        loser: Document,
        winner: Document,
        in transaction: any StoreTransaction,
        by node: String,
        at date: Date
    ) async throws {
        let loserFields = loser.body.fieldTexts()
        let winnerFields = winner.body.fieldTexts()
        let differing = Set(loserFields.keys).union(winnerFields.keys).filter { loserFields[$0] != winnerFields[$0] }.sorted()
        let eventId = loser.collection == Event.collection ? loser.id : loserFields["eventId"]
        let record = ConflictRecord(
            kind: ConflictRecord.kind(of: loser.collection),
            collection: loser.collection,
            documentId: loser.id,
            eventId: eventId,
            differingFields: differing,
            rule: MergeRule.of(collection: loser.collection).rawValue,
            winner: winner.version.description,
            loser: loser.version.description,
            loserDocument: String(decoding: DocumentJSON.compact(loser), as: UTF8.self),
            detectedBy: node,
            detectedAt: date
        )
        try await write(record, identity: "\(loser.collection)/\(loser.id)/\(loser.version)/\(winner.version)", in: transaction)
    }

    /// The id of the conflict record about `identity` (section 9 of sync-spec.md).
    public static func recordID(identity: String) -> String {
        "c-" + SHA256.hash(data: Data(identity.utf8)).prefix(20).map { String(format: "%02x", $0) }.joined()
    }

    /// Writes `record` under an id derived from `identity` (section 9 of sync-spec.md), unless a
    /// record with that id exists already: nodes that detect the same conflict write one record.
    public static nonisolated(nonsending) func write(_ record: ConflictRecord, identity: String, in transaction: any StoreTransaction) async throws {
        let id = recordID(identity: identity)
        guard try await transaction.get(ConflictRecord.collection, id) == nil else { return }
        try await transaction.put(ConflictRecord.collection, id, body: JSONBody(encoding: record))
    }

}
