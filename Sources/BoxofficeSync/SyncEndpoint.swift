public import BoxofficeCore

/// One side of a sync: this node's store, or a peer over HTTP. The synchronizer moves versions
/// from one side's changes feed to the other's `apply`, with the checkpoint in the same batch.
public protocol SyncEndpoint: Sendable {
    func info() async throws -> SyncInfo
    /// A page of the durable changes feed after `since`.
    func changes(since: UInt64, limit: Int) async throws -> ChangesPage
    /// How far this side has applied `peer`'s feed (0 if never).
    func checkpoint(from peer: String) async throws -> UInt64
    /// Reads a batch as `apply` will need it, without the store, so that a sync reads the next
    /// batch while one is applied.
    func check(_ versions: [Document]) async -> CheckedBatch
    /// Applies a batch all-or-nothing, storing `checkpoint` in the same transaction.
    func apply(_ batch: CheckedBatch, checkpoint: Checkpoint?) async throws -> ApplyResult
}

extension SyncEndpoint {
    /// Checks and applies a batch.
    public func apply(_ versions: [Document], checkpoint: Checkpoint?) async throws -> ApplyResult {
        try await apply(await check(versions), checkpoint: checkpoint)
    }
}

/// A batch of versions with what its target's checks found: the versions it refuses to store,
/// by their place in the batch. A refused version fails the batch only if it would be stored (one
/// the target already holds is not read again).
public struct CheckedBatch: Sendable {
    public let versions: [Document]
    let refusals: [Int: any Error]

    init(versions: [Document], refusals: [Int: any Error] = [:]) {
        self.versions = versions
        self.refusals = refusals
    }
}
