import BoxofficeCore

/// Tunables of a store; the defaults are what a venue node runs with.
public struct StoreOptions: Sendable {
    /// Ancestor version stamps kept per document.
    public var historyLimit = 50
    /// The largest document body accepted.
    public var maxBodyBytes = 1 << 20
    /// A journal segment is closed and a new one started past this size.
    public var segmentBytes = 64 << 20
    /// Journal bytes written since the last snapshot that start a compaction; a compaction also
    /// waits until the journal has grown by half the size of the last snapshot.
    public var compactionBytes = 256 << 20
    /// How often the document files are flushed to disk and the `materialized` mark advanced.
    public var materializeSyncSeconds = 1.0
    /// The largest clock skew accepted from a peer.
    public var maxSkewMillis = HybridLogicalClock.defaultMaxSkewMillis
    /// Lookups kept up to date on every write, sync and recovery.
    public var indexes: [SecondaryIndex] = []
    /// Which revision of `indexes` this is: raise it whenever a release changes the keys an index
    /// gives a document. A store that keeps its keys (PostgreSQL) files every document again when
    /// it opens with another revision or other index names; the file store rebuilds its index
    /// at every start anyway.
    public var indexRevision = 0
    /// Milliseconds since the Unix epoch; injectable for tests.
    public var wallClock: @Sendable () -> UInt64 = HybridLogicalClock.systemMillis

    public init() {}
}
