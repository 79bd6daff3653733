import BoxofficeCore
import CLinux
import Foundation
import Logging
import Synchronization

/// What a check of `docs/` against the store found.
public struct FileAuditReport: Sendable, Equatable {
    /// Document files that matched their document.
    public var verified = 0
    /// Files that did not parse or did not match, each rebuilt from the store: path and reason.
    public var rebuilt: [String] = []
    /// Documents that had no file; written now.
    public var missing = 0
    /// `.json` files under `docs/` for documents the store does not have; left in place.
    public var strays: [String] = []
}

/// Writes the current version of each document to `docs/<collection>/<id>.json`, atomically, on
/// its own thread, after the journal made it durable. Several versions of one document queued
/// together are written once. About once a second it flushes the file system and advances the
/// `materialized` mark, so recovery rewrites only the files written since.
///
/// Invariant: this thread is the only writer of `docs/`.
final class Materializer: @unchecked Sendable {
    /// What writers hand to the thread.
    private struct Queue {
        /// Batches of versions in sequence order, as the store wrote them.
        var pending: [[SequencedDocument]] = []
        var pendingThrough: UInt64 = 0
        /// Versions in `pending`. Past `foldAt` they are folded to the latest of each document: a
        /// thread starved by load then holds about one version per document, not every write.
        var pendingVersions = 0
        var foldAt = 131_072
        /// When the last batch was queued, and when the oldest pending one was (uptime nanoseconds).
        var lastQueuedAt: UInt64 = 0
        var firstQueuedAt: UInt64 = 0
        var audits: [(expected: [DocumentKey: SequencedDocument], done: CheckedContinuation<FileAuditReport, Never>)] = []
        var idleWaiters: [CheckedContinuation<Void, Never>] = []
        var closing = false
        /// Set when the thread has exited: later waiters are answered at once.
        var finished = false

        var isEmpty: Bool { pending.isEmpty && audits.isEmpty && idleWaiters.isEmpty }
        /// Work someone is waiting for: taken at once, without letting writes gather.
        var isUrgent: Bool { !audits.isEmpty || !idleWaiters.isEmpty || closing }

        /// Whether a bulk load (a pull applies pages of a thousand versions) is still going on, and
        /// its files can wait for it to pause, for at most `maxLag` nanoseconds past the first.
        func isInBulkLoad(now: UInt64, quiet: UInt64, maxLag: UInt64) -> Bool {
            !isUrgent && pendingVersions >= Materializer.bulkVersions && now - lastQueuedAt < quiet && now - firstQueuedAt < maxLag
        }

        mutating func fold() {
            let latest = Self.latest(of: pending)
            pending = [Array(latest.values)]
            pendingVersions = latest.count
            foldAt = max(131_072, 2 * latest.count)
        }

        /// The latest queued version of each document: later batches hold later versions.
        static func latest(of batches: [[SequencedDocument]]) -> [DocumentKey: SequencedDocument] {
            var latest: [DocumentKey: SequencedDocument] = [:]
            latest.reserveCapacity(batches.reduce(0) { $0 + $1.count })
            for entry in batches.joined() { latest[entry.document.key] = entry }
            return latest
        }

        mutating func take() -> Queue {
            defer { self = Queue(pendingThrough: pendingThrough, closing: closing, finished: finished) }
            return self
        }
    }

    private let directory: DataDirectory
    private let journal: Journal
    private let syncInterval: Double
    private let logger: Logger
    // Invariant: the thread holds `queue`'s lock only to swap the queue out, never while it waits:
    // it runs at idle priority, and a writer must never wait on it (see `Journal.blockUntilDurable`).
    private let queue = Mutex(Queue())
    private let wake = DispatchSemaphore(value: 0)
    private let stopped = DispatchSemaphore(value: 0)
    // Owned by the thread:
    /// An open descriptor of each `docs/<collection>` directory, so files are made relative to it.
    private var folders: [String: Int32] = [:]
    private var writtenThrough: UInt64
    private var markedThrough: UInt64
    private var lastSync = DispatchTime.now()
    /// How long the thread lets writes gather before it takes them; files lag by about this much,
    /// and by up to `bulkMaxLagNanoseconds` while a bulk load goes on.
    static let gatherMicroseconds: UInt32 = 5_000
    /// Past this many pending versions, writes that keep coming are a bulk load: the thread lets
    /// them pass while they arrive less than `gatherMicroseconds` × 4 apart, for up to a second.
    /// On two cores the files otherwise take a fifth of a pull's CPU while it runs (bench/sync.sh).
    static let bulkVersions = 2_048
    static let bulkMaxLagNanoseconds: UInt64 = 1_000_000_000

    /// The sequence number up to which `docs/` was complete on disk when it was last marked.
    static func mark(in directory: DataDirectory) -> UInt64 {
        (try? FileIO.readFile(directory.materializedMark)).flatMap { UInt64(String(decoding: $0, as: UTF8.self).filter(\.isNumber)) } ?? 0
    }

    init(directory: DataDirectory, journal: Journal, markedThrough: UInt64, syncInterval: Double, logger: Logger) {
        self.directory = directory
        self.journal = journal
        self.syncInterval = syncInterval
        self.logger = logger
        self.writtenThrough = markedThrough
        self.markedThrough = markedThrough
        let thread = Thread { [self] in self.run() }
        thread.start()
    }

    /// Queues documents to be written; called by the store in sequence order. A document is
    /// written only once the journal holds it durably. The writer only appends the batch: sorting
    /// out which versions are the latest is left to this thread, off the writer's path.
    func enqueue(_ entries: [SequencedDocument]) {
        guard let last = entries.last else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        let wasIdle = queue.withLock { queue in
            let wasIdle = queue.isEmpty
            if queue.pending.isEmpty { queue.firstQueuedAt = now }
            queue.lastQueuedAt = now
            queue.pending.append(entries)
            queue.pendingThrough = max(queue.pendingThrough, last.seq)
            queue.pendingVersions += entries.count
            if queue.pendingVersions > queue.foldAt { queue.fold() }
            return wasIdle
        }
        if wasIdle { wake.signal() }
    }

    /// Returns once every document queued before the call is written to its file.
    func waitUntilWritten() async {
        await withCheckedContinuation { continuation in
            let finished = queue.withLock { queue in
                if !queue.finished { queue.idleWaiters.append(continuation) }
                return queue.finished
            }
            if finished { continuation.resume() } else { wake.signal() }
        }
    }

    /// Compares every file under `docs/` with `expected` (the store at one moment) and rebuilds
    /// the ones that differ. Documents written since that moment are skipped: their file is
    /// being replaced anyway.
    func audit(_ expected: [DocumentKey: SequencedDocument]) async -> FileAuditReport {
        await withCheckedContinuation { continuation in
            let finished = queue.withLock { queue in
                if !queue.finished { queue.audits.append((expected, continuation)) }
                return queue.finished
            }
            if finished { continuation.resume(returning: FileAuditReport()) } else { wake.signal() }
        }
    }

    /// Writes what is queued, flushes, marks, and stops the thread.
    func close() {
        queue.withLock { $0.closing = true }
        wake.signal()
        stopped.wait()
    }

    private func run() {
        Thread.setSystemName("bo-files")
        // Files are a view that may lag: under load, requests and the journal go first.
        // SCHED_IDLE: a request thread woken on this thread's core takes it at once.
        // It is not free CPU: under sustained load the files still cost their share (README).
        _ = bx_set_idle_priority()
        while true {
            while queue.withLock({
                $0.isInBulkLoad(
                    now: DispatchTime.now().uptimeNanoseconds,
                    quiet: 4 * UInt64(Self.gatherMicroseconds) * 1_000,
                    maxLag: Self.bulkMaxLagNanoseconds
                )
            }) { usleep(Self.gatherMicroseconds) }
            let work = queue.withLock { $0.take() }
            if work.isEmpty && !work.closing {
                if writtenThrough > markedThrough {
                    if wake.wait(timeout: .now() + max(0, syncInterval - secondsSinceSync())) == .timedOut { markDurable() }
                } else {
                    wake.wait()
                }
                // Writes that arrive close together are taken together: one wake-up of this thread
                // per window instead of one per transaction (a writer signals only an idle queue).
                if !queue.withLock({ $0.isUrgent }) { usleep(Self.gatherMicroseconds) }
                continue
            }

            // Several versions of one document queued together are written once: the latest.
            let latest = Queue.latest(of: work.pending)
            // Audits look at the files before this batch is written, and skip the batch's documents.
            for job in work.audits { job.done.resume(returning: audit(job.expected, skipping: latest)) }
            // Invariant: a file never shows a version the journal could still lose.
            if !latest.isEmpty, journal.blockUntilDurable(work.pendingThrough) {
                for entry in latest.values { write(entry.document) }
                writtenThrough = work.pendingThrough
            }
            if writtenThrough > markedThrough && (work.closing || secondsSinceSync() >= syncInterval) { markDurable() }
            for waiter in work.idleWaiters { waiter.resume() }

            let exiting =
                work.closing
                && queue.withLock { queue in
                    if queue.isEmpty { queue.finished = true }
                    return queue.finished
                }
            if exiting {
                for folder in folders.values { _ = Glibc.close(folder) }
                stopped.signal()
                return
            }
        }
    }

    private func secondsSinceSync() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - lastSync.uptimeNanoseconds) / 1e9
    }

    private func write(_ document: Document) {
        do {
            let path = directory.documentFile(collection: document.collection, id: document.id)
            try FileIO.replace(document.id + ".json", in: folder(document.collection), path: path, with: DocumentJSON.pretty(document))
        } catch {
            // The journal holds the document; the file is rebuilt at the next start or audit.
            logger.error("could not write document file", metadata: ["document": "\(document.key)", "error": "\(error)"])
        }
    }

    private func folder(_ collection: String) throws(StoreError) -> Int32 {
        if let fd = folders[collection] { return fd }
        let path = directory.documents + "/" + collection
        try FileIO.makeDirectory(directory.documents)
        try FileIO.makeDirectory(path)
        let fd = try FileIO.open(path, O_RDONLY | O_DIRECTORY)
        folders[collection] = fd
        return fd
    }

    private func markDurable() {
        do {
            try FileIO.syncFileSystem(containing: directory.path)
            try FileIO.replace(directory.materializedMark, with: Array("\(writtenThrough)\n".utf8), durable: true)
            markedThrough = writtenThrough
        } catch {
            logger.error("could not flush document files", metadata: ["error": "\(error)"])
        }
        lastSync = DispatchTime.now()
    }

    private func audit(_ expected: [DocumentKey: SequencedDocument], skipping batch: [DocumentKey: SequencedDocument]) -> FileAuditReport {
        var report = FileAuditReport()
        var seen = Set<DocumentKey>()
        // Invariant: a file never shows a version the journal could still lose, audits included.
        // Documents in the batch, or not yet durable (the journal may have failed), are left alone.
        let durable = journal.durableSeq
        func skipped(_ key: DocumentKey) -> Bool { batch[key] != nil || (expected[key].map { $0.seq > durable } ?? false) }
        let collections = (try? FileIO.list(directory.documents)) ?? []
        for collection in collections where Identifier.isValid(collection) {
            let folder = directory.documents + "/" + collection
            for name in (try? FileIO.list(folder)) ?? [] {
                let path = folder + "/" + name
                if name.hasSuffix(".tmp") {
                    try? FileIO.remove(path)  // left by a crash mid-write
                    continue
                }
                guard name.hasSuffix(".json") else { continue }
                let key = DocumentKey(collection: collection, id: String(name.dropLast(5)))
                guard let entry = expected[key] else {
                    if batch[key] == nil { report.strays.append(path) }
                    continue
                }
                seen.insert(key)
                if skipped(key) { continue }
                let wanted = DocumentJSON.pretty(entry.document)
                let actual = try? FileIO.readFile(path)
                if actual == wanted {
                    report.verified += 1
                    continue
                }
                let reason =
                    if let actual {
                        (try? JSONSerialization.jsonObject(with: Data(actual))) == nil ? "not valid JSON" : "differs from the journal"
                    } else { "unreadable" }
                logger.warning("document file \(reason); rebuilding it from the journal", metadata: ["path": "\(path)"])
                report.rebuilt.append("\(path): \(reason)")
                write(entry.document)
            }
        }
        for (key, entry) in expected where !seen.contains(key) && !skipped(key) {
            report.missing += 1
            write(entry.document)
        }
        return report
    }
}
