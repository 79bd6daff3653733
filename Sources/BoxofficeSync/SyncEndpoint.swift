public import BoxofficeCore

/// One side of a sync: this node's store, or a peer over HTTP. The synchronizer moves versions
/// from one side's changes feed to the other's `apply`, with the checkpoint in the same batch.
public protocol SyncEndpoint: Sendable {
    func info() async throws -> SyncInfo
    /// A page of the durable changes feed after `since`.
    func changes(since: UInt64, limit: Int) async throws -> ChangesPage
    /// How far this side has applied `peer`'s feed (0 if never).
    func checkpoint(from peer: String) async throws -> UInt64
    /// Applies a batch all-or-nothing, storing `checkpoint` in the same transaction.
    func apply(_ versions: [Document], checkpoint: Checkpoint?) async throws -> ApplyResult
}
