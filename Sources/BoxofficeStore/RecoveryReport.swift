/// What opening a store found and did.
public struct RecoveryReport: Sendable {
    /// The sequence number the loaded snapshot covers, if there was one.
    public var snapshotSeq: UInt64?
    public var snapshotDocuments = 0
    public var journalSegments = 0
    public var journalFrames = 0
    /// Torn tails cut and damaged frames refused; empty after a clean shutdown.
    public var damage: [JournalDamage] = []
    public var documents = 0
    public var lastSeq: UInt64 = 0
    /// The format of the snapshot and segments found, when older than this build writes: opening
    /// upgraded them (one snapshot in the current format replaced them), unless frames were
    /// damaged, when they stay readable as they are until `store compact`.
    public var olderFormat: UInt32?
    /// Whether opening upgraded an older format (it does whenever nothing was lost).
    public var upgraded: Bool { olderFormat != nil && !lostVersions }
    /// Document files queued for rewriting because they may lag the journal.
    public var filesToRewrite = 0
    public var seconds = 0.0

    /// Set when the document files were marked complete up to this sequence number, past the
    /// journal's and snapshot's end: the versions after `lastSeq` up to it are gone from the journal.
    public var journalEndsBefore: UInt64?

    /// Whether anything was lost that a peer may have to restore (a damaged frame, not a torn
    /// tail, or a journal that ends before versions the files were written from).
    public var lostVersions: Bool { damage.contains { $0.kind == .damaged } || journalEndsBefore != nil }
}

/// Counters of a running store.
public struct StoreStatistics: Sendable {
    public var documents: Int
    public var lastSeq: UInt64
    public var durableSeq: UInt64
    public var journalSyncs: Int
    public var journalSyncSeconds: Double
    public var journalBytes: Int

    public init(documents: Int, lastSeq: UInt64, durableSeq: UInt64, journalSyncs: Int = 0, journalSyncSeconds: Double = 0, journalBytes: Int = 0) {
        self.documents = documents
        self.lastSeq = lastSeq
        self.durableSeq = durableSeq
        self.journalSyncs = journalSyncs
        self.journalSyncSeconds = journalSyncSeconds
        self.journalBytes = journalBytes
    }
}

/// A page of the changes feed.
public struct ChangeBatch: Sendable {
    /// Current versions in sequence order.
    public var changes: [SequencedDocument]
    /// Where the next page starts: pass it as `since`.
    public var next: UInt64
    /// Whether this page reached the end of the durable feed.
    public var complete: Bool
    /// The last durable position of the feed when the page was read.
    public var end: UInt64

    /// The page of `changes`, read after `since` with at most `limit`, when the feed ends at
    /// `through`: a short page reached the end, so the next one starts there.
    public init(changes: [SequencedDocument], since: UInt64, through: UInt64, limit: Int) {
        self.changes = changes
        self.end = through
        self.complete = changes.count < limit
        self.next = complete ? max(since, through) : changes.last!.seq
    }
}
