public import BoxofficeCore
import Foundation
public import Logging
import Synchronization

/// The versioned JSON document store of one node: a durable journal, one readable file per
/// document, and an in-memory index with the changes feed.
///
/// Guarantees: a write returns only after its journal frame is on disk (concurrent writers
/// share one sync); the writes of one transaction are durable together or not at all; reads
/// see every write the store has accepted; the changes feed shows only durable versions.
public actor DocumentStore: VersionedStore {
    public nonisolated let directory: DataDirectory
    public nonisolated let nodeID: String
    public nonisolated var location: String { directory.path }
    /// The data directory's configuration file, as read (or created) at open.
    public nonisolated let configuration: NodeConfiguration
    /// What opening the store found and did.
    public nonisolated let recovery: RecoveryReport
    private let options: StoreOptions
    private let logger: Logger
    private let index: DocumentIndex
    private var clock: HybridLogicalClock
    private let journal: Journal
    private let materializer: Materializer
    private let lock: DirectoryLock
    private var closed = false
    private var compacting = false
    private var journalBytesSinceSnapshot = 0
    private var lastSnapshotBytes: Int
    private let appliedSeq: Atomic<UInt64>
    private let writer = AsyncGate()

    /// The sequence number of the last write the index holds, readable without waiting for the
    /// store: it changes whenever any document changes, so a value derived from the store at one
    /// `lastSeq` is current for as long as `lastSeq` stays the same.
    public nonisolated var lastSeq: UInt64 { appliedSeq.load(ordering: .acquiring) }

    /// Opens (creating if needed) the store in `directory` and recovers its state.
    /// - Parameter nodeID: this node's id; nil keeps the one in the directory's configuration.
    /// - Throws: `StoreError.locked` when another process has the directory, `.nodeIDMismatch`,
    ///   `.corruptSnapshot`, or `.io`.
    public static func open(
        _ directory: DataDirectory,
        nodeID: String? = nil,
        options: StoreOptions = StoreOptions(),
        logger: Logger = Logger(label: "boxoffice.store")
    ) throws -> DocumentStore {
        let started = DispatchTime.now()
        try FileIO.makeDirectories(directory.path)
        let lock = try DirectoryLock(directory)
        do {
            let configuration = try NodeConfiguration.resolve(in: directory, requestedNodeID: nodeID)
            for folder in [directory.journal, directory.snapshots, directory.documents] { try FileIO.makeDirectory(folder) }

            let index = DocumentIndex(indexes: options.indexes)
            var report = RecoveryReport()
            let snapshot = try Snapshot.loadLatest(from: directory.snapshots) { index.apply($0) }
            report.snapshotSeq = snapshot?.lastSeq
            report.snapshotDocuments = snapshot?.documents ?? 0
            let replay = try Journal.replay(directory: directory.journal, after: snapshot?.lastSeq ?? 0, logger: logger) { entry in
                if entry.seq > index.lastSeq { index.apply(entry) }
            }
            report.journalSegments = replay.segments
            report.journalFrames = replay.frames
            report.damage = replay.damage
            let lastSeq = max(replay.lastSeq, index.lastSeq)
            var tail = replay.tail
            var snapshotBytes = snapshot?.bytes ?? 0
            if (snapshot.map { $0.format < FileHeader.currentFormat } ?? false) || replay.olderFormatSegments > 0 {
                report.olderFormat = 1
                // Invariant: an upgrade never drops a damaged frame (peers restore what it held).
                if report.upgraded {
                    snapshotBytes = try upgrade(directory, entries: index.allInSequenceOrder(), lastSeq: lastSeq)
                    tail = nil
                    logger.notice("upgraded the data directory to format \(FileHeader.currentFormat)", metadata: ["snapshotSeq": "\(lastSeq)"])
                } else {
                    logger.warning(
                        "the data directory stays in format 1 while journal frames are damaged; sync with a peer, then run boxoffice store compact"
                    )
                }
            }

            var clock = HybridLogicalClock(maxSkewMillis: options.maxSkewMillis, wallClock: options.wallClock)
            clock.observe(index.maxHLC)
            let journal = try Journal(
                directory: directory.journal,
                tail: tail,
                lastSeq: lastSeq,
                segmentLimit: options.segmentBytes,
                logger: logger
            )
            let filesMark = Materializer.mark(in: directory)
            // The files were written from versions the journal and snapshot no longer hold (a
            // segment deleted, or an older copy of it put back): those versions are lost here.
            if filesMark > lastSeq { report.journalEndsBefore = filesMark }
            let mark = min(filesMark, lastSeq)
            let materializer = Materializer(
                directory: directory,
                journal: journal,
                markedThrough: mark,
                syncInterval: options.materializeSyncSeconds,
                logger: logger
            )
            // Files written after the last mark may not have reached the disk: write them again.
            let lagging = index.changes(since: mark, through: lastSeq, limit: .max)
            materializer.enqueue(lagging)

            report.filesToRewrite = lagging.count
            report.documents = index.count
            report.lastSeq = lastSeq
            report.seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
            return DocumentStore(
                directory: directory,
                configuration: configuration,
                recovery: report,
                options: options,
                logger: logger,
                index: index,
                clock: clock,
                journal: journal,
                materializer: materializer,
                lock: lock,
                lastSnapshotBytes: snapshotBytes
            )
        } catch {
            lock.release()
            throw error
        }
    }

    /// Replaces the snapshot and journal segments of an older format by one snapshot in the
    /// current format holding every current version (all durable: they were read from disk).
    private static func upgrade(_ directory: DataDirectory, entries: [SequencedDocument], lastSeq: UInt64) throws(StoreError) -> Int {
        let size = try Snapshot.write(entries, lastSeq: lastSeq, in: directory.snapshots)
        try Snapshot.removeOlder(than: lastSeq, in: directory.snapshots)
        for firstSeq in try DataDirectory.sequenceFiles(in: directory.journal, suffix: ".log") {
            try FileIO.remove(directory.journal + "/" + DataDirectory.sequenceName(firstSeq, suffix: ".log"))
        }
        try FileIO.syncDirectory(directory.journal)
        return size
    }

    private init(
        directory: DataDirectory,
        configuration: NodeConfiguration,
        recovery: RecoveryReport,
        options: StoreOptions,
        logger: Logger,
        index: DocumentIndex,
        clock: HybridLogicalClock,
        journal: Journal,
        materializer: Materializer,
        lock: DirectoryLock,
        lastSnapshotBytes: Int
    ) {
        self.directory = directory
        self.nodeID = configuration.nodeID
        self.configuration = configuration
        self.recovery = recovery
        self.options = options
        self.logger = logger
        self.index = index
        self.clock = clock
        self.journal = journal
        self.materializer = materializer
        self.lock = lock
        self.lastSnapshotBytes = lastSnapshotBytes
        self.appliedSeq = Atomic(index.lastSeq)
    }

    // MARK: Reading

    public func read<T: Sendable>(_ body: nonisolated(nonsending) @Sendable (any StoreView) async throws -> T) async throws -> T {
        guard !closed else { throw StoreError.closed }
        return try await body(IndexView(index: index))
    }

    /// The current versions written after `since`, in sequence order, at most `limit`; only
    /// durable versions, so a peer never sees one this node could still lose.
    public func changes(since: UInt64, limit: Int) -> ChangeBatch {
        let through = journal.durableSeq
        return ChangeBatch(changes: index.changes(since: since, through: through, limit: limit), since: since, through: through, limit: limit)
    }

    /// The greatest timestamp this node has issued or received.
    public func lastHLC() -> HLC { clock.last }

    public func statistics() -> StoreStatistics {
        let journalStatistics = journal.currentStatistics
        return StoreStatistics(
            documents: index.count,
            lastSeq: index.lastSeq,
            durableSeq: journal.durableSeq,
            journalSyncs: journalStatistics.syncs,
            journalSyncSeconds: Double(journalStatistics.syncNanoseconds) / 1e9,
            journalBytes: journalStatistics.bytesWritten
        )
    }

    // MARK: Writing

    /// How many transactions wait for the one running to end.
    var transactionsWaiting: Int { writer.waitingCount }

    /// Runs `body` as one transaction and returns once its writes are durable. The body runs on
    /// this actor; transactions run one at a time, even when a body awaits something else.
    /// - Throws: what `body` throws (then nothing is written), `StoreError.closed`, or
    ///   `StoreError.journalFailed`.
    public func transact<T: Sendable>(_ body: nonisolated(nonsending) @Sendable (any StoreTransaction) async throws -> T) async throws -> T {
        let (result, lastSeq) = try await appendWrites(of: body)
        if let lastSeq { try await journal.waitUntilDurable(lastSeq) }
        return result
    }

    /// Runs `body` holding the writer gate and appends its writes to the journal and the index;
    /// returns the sequence number to wait for, nil when it wrote nothing. The next transaction
    /// starts as soon as this returns: it reads these writes, and shares their sync.
    private func appendWrites<T>(of body: nonisolated(nonsending) (any StoreTransaction) async throws -> T) async throws -> (T, UInt64?) {
        await writer.acquire()
        defer { writer.release() }
        guard !closed else { throw StoreError.closed }
        if let failure = journal.failed { throw failure }
        let transaction = JournalTransaction(index: index, nodeID: nodeID, options: options, clock: clock)
        defer {
            transaction.finish()
            clock = transaction.clock
        }
        let result = try await body(transaction)
        guard !transaction.writes.isEmpty else { return (result, nil) }

        let firstSeq = index.lastSeq + 1
        let entries = transaction.writes.enumerated().map { SequencedDocument(seq: firstSeq + UInt64($0.offset), document: $0.element) }
        let frame = JournalRecord.frame(.versions(entries))
        try journal.append(frame, firstSeq: firstSeq, lastSeq: entries.last!.seq)
        for entry in entries { index.apply(entry) }
        appliedSeq.store(index.lastSeq, ordering: .releasing)
        materializer.enqueue(entries)
        journalBytesSinceSnapshot += frame.count
        compactIfDue()
        return (result, entries.last!.seq)
    }

    // MARK: Maintenance

    /// Writes a snapshot of every current version and removes the journal segments it covers.
    /// Returns the snapshot's size in bytes, or nil when a compaction is already running.
    @discardableResult
    public func compact() async throws -> Int? {
        guard !compacting, !closed else { return nil }
        compacting = true
        defer { compacting = false }
        let lastSeq = index.lastSeq
        let entries = index.allInSequenceOrder()
        journalBytesSinceSnapshot = 0
        // Invariant: a snapshot holds only durable versions, and a segment is removed only once a durable snapshot covers it.
        try await journal.waitUntilDurable(lastSeq)
        let directory = directory
        let size = try await onOwnThread {
            let size = try Snapshot.write(entries, lastSeq: lastSeq, in: directory.snapshots)
            try Snapshot.removeOlder(than: lastSeq, in: directory.snapshots)
            let segments = try DataDirectory.sequenceFiles(in: directory.journal, suffix: ".log")
            for (position, firstSeq) in segments.enumerated().dropLast() where segments[position + 1] <= lastSeq + 1 {
                try FileIO.remove(directory.journal + "/" + DataDirectory.sequenceName(firstSeq, suffix: ".log"))
            }
            return size
        }
        lastSnapshotBytes = size
        logger.info("compacted the journal", metadata: ["snapshotSeq": "\(lastSeq)", "documents": "\(entries.count)", "bytes": "\(size)"])
        return size
    }

    /// Checks every document file against the store and rebuilds the ones that differ.
    public func auditFiles() async -> FileAuditReport {
        await materializer.audit(index.documents)
    }

    /// Checks the document files once, in the background of a serving node.
    public func maintain(logger: Logger) async {
        let audit = await auditFiles()
        if !audit.rebuilt.isEmpty || audit.missing > 0 {
            logger.warning("document files rebuilt", metadata: ["rebuilt": "\(audit.rebuilt.count)", "missing": "\(audit.missing)"])
        }
    }

    /// Returns once every document file is written for the versions stored so far.
    public func waitForDocumentFiles() async {
        await materializer.waitUntilWritten()
    }

    /// Flushes the journal and the document files and releases the data directory.
    public func close() {
        guard !closed else { return }
        closed = true
        journal.close()
        materializer.close()
        lock.release()
    }

    private func compactIfDue() {
        guard !compacting, journalBytesSinceSnapshot > max(options.compactionBytes, lastSnapshotBytes / 2) else { return }
        Task {
            do { try await compact() } catch { logger.error("compaction failed", metadata: ["error": "\(error)"]) }
        }
    }
}

/// Runs blocking file work on a thread of its own, off the cooperative pool (two cores here).
func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}
