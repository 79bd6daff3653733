public import BoxofficeCore

/// The writes of one `VersionedStore.transact` call. It reads the store as it is plus its own
/// writes; everything it writes becomes durable together, or not at all; no other transaction
/// changes what it has read before it ends, so check-then-write inside one is race-free.
///
/// A transaction is valid only while its body runs: a use after that throws `StoreError.closed`.
public protocol StoreTransaction: StoreView {
    /// A fresh timestamp of this node's clock, later than every version the store holds, for a
    /// body that records when something happened in causal order (a ticket's sale).
    nonisolated(nonsending) func timestamp() async throws -> HLC

    /// Writes a new version of a document, creating it if needed, and returns it.
    /// - Throws: `DocumentError` for a bad collection or id, or a body over the size limit.
    @discardableResult
    nonisolated(nonsending) func put(_ collection: String, _ id: String, body: JSONBody) async throws -> Document

    /// Replaces a live document by a tombstone; returns it, or nil when there was nothing to delete.
    @discardableResult
    nonisolated(nonsending) func delete(_ collection: String, _ id: String) async throws -> Document?

    /// Applies a version received from a peer by the merge rule (sync-spec.md, section 5): stored
    /// verbatim when it wins, ignored when it does not. The caller records concurrent losers.
    /// - Throws: `DocumentError` for bad names, a body over the limit, or a clock too far ahead
    ///   (then the caller refuses the whole batch).
    nonisolated(nonsending) func merge(_ incoming: Document) async throws -> MergeDecision
}
