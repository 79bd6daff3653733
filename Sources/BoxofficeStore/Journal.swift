import Foundation
import Logging
import Synchronization

/// The write-ahead journal: the durable record of every version this node stores.
///
/// Segments live in `journal/`, named by the first sequence number they hold
/// (`00000000000000000001.log`), and are a sequence of frames as `JournalRecord` describes:
/// `u32 length | u32 crc32 | payload`. A frame is one atomic write of one or more versions.
/// Recovery (`Journal+Recovery.swift`) keeps every frame whose checksum holds, cuts a torn frame
/// at the end of the last segment, and reports a damaged frame anywhere else.
///
/// Invariant: a sequence number is reported durable only after `fdatasync` of the segment that
/// holds it has returned. One flusher thread owns the files; every writer waiting while a sync
/// runs is covered by the next one (group commit).
final class Journal: @unchecked Sendable {
    struct Statistics: Sendable {
        var syncs = 0
        var syncNanoseconds: UInt64 = 0
        var bytesWritten = 0
    }

    private let directory: String
    private let segmentLimit: Int
    private let logger: Logger
    private let condition = NSCondition()
    // Guarded by `condition`:
    private var buffer: [UInt8] = []
    private var bufferFirstSeq: UInt64 = 0
    private var appendedThrough: UInt64
    private var waiters: [(seq: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
    private var failure: StoreError?
    private var closing = false
    private var statistics = Statistics()
    // Owned by the flusher thread once started:
    private var segmentFD: Int32 = -1
    private var segmentPath = ""
    private var segmentSize = 0
    // Written under `condition`, readable without it (see `blockUntilDurable`):
    private let durableMark: Atomic<UInt64>
    /// Set once the flusher has exited, after a failure or at close.
    private let stopped = Atomic<Bool>(false)

    /// - Parameters:
    ///   - tail: the last segment and its valid length, to append to; nil starts a new segment.
    ///   - lastSeq: the highest sequence number already in the journal or the snapshot.
    init(directory: String, tail: (path: String, size: Int)?, lastSeq: UInt64, segmentLimit: Int, logger: Logger) throws(StoreError) {
        self.directory = directory
        self.segmentLimit = segmentLimit
        self.logger = logger
        self.appendedThrough = lastSeq
        self.durableMark = Atomic(lastSeq)
        if let tail {
            segmentFD = try FileIO.open(tail.path, O_WRONLY | O_APPEND)
            segmentPath = tail.path
            segmentSize = tail.size
        }
        let thread = Thread { [self] in self.run() }
        thread.start()
    }

    /// Queues a frame holding versions up to `lastSeq`. Called by the store in sequence order.
    func append(_ frame: [UInt8], firstSeq: UInt64, lastSeq: UInt64) throws(StoreError) {
        condition.lock()
        defer { condition.unlock() }
        if let failure { throw failure }
        guard !closing else { throw .closed }
        if buffer.isEmpty { bufferFirstSeq = firstSeq }
        buffer += frame
        appendedThrough = lastSeq
        condition.signal()
    }

    /// Returns once every version up to `seq` is on disk.
    func waitUntilDurable(_ seq: UInt64) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            condition.lock()
            if durableSeq >= seq {
                condition.unlock()
                continuation.resume()
            } else if let failure {
                condition.unlock()
                continuation.resume(throwing: failure)
            } else {
                waiters.append((seq, continuation))
                condition.unlock()
            }
        }
    }

    /// Blocks the calling thread (never a task) until `seq` is durable; false if it never will be.
    /// It polls instead of waiting on the lock: its caller, the materializer, runs at idle
    /// priority, and an idle thread woken while holding the lock that writers append under
    /// could keep it for a whole scheduler tick (priority inversion: every sale would wait).
    func blockUntilDurable(_ seq: UInt64) -> Bool {
        while durableSeq < seq {
            if stopped.load(ordering: .acquiring) { return durableSeq >= seq }
            usleep(200)
        }
        return true
    }

    /// The last sequence number on disk; takes no lock.
    var durableSeq: UInt64 { durableMark.load(ordering: .acquiring) }

    var currentStatistics: Statistics {
        condition.lock()
        defer { condition.unlock() }
        return statistics
    }

    var failed: StoreError? {
        condition.lock()
        defer { condition.unlock() }
        return failure
    }

    /// Writes what is queued, stops the flusher and closes the segment.
    func close() {
        condition.lock()
        closing = true
        condition.broadcast()
        while !stopped.load(ordering: .acquiring) { condition.wait() }
        condition.unlock()
        if segmentFD >= 0 { Glibc.close(segmentFD) }
        segmentFD = -1
    }

    private func run() {
        Thread.setSystemName("bo-journal")
        while true {
            condition.lock()
            while buffer.isEmpty && !closing { condition.wait() }
            if buffer.isEmpty && closing {
                stopped.store(true, ordering: .releasing)
                condition.broadcast()
                condition.unlock()
                return
            }
            let batch = buffer
            let firstSeq = bufferFirstSeq
            let through = appendedThrough
            buffer = []
            condition.unlock()

            let started = DispatchTime.now().uptimeNanoseconds
            let result = Result { () throws(StoreError) in try write(batch, firstSeq: firstSeq) }
            let elapsed = DispatchTime.now().uptimeNanoseconds - started

            condition.lock()
            var ready: [CheckedContinuation<Void, any Error>] = []
            switch result {
            case .success:
                durableMark.store(through, ordering: .releasing)
                statistics.syncs += 1
                statistics.syncNanoseconds += elapsed
                statistics.bytesWritten += batch.count
                waiters.removeAll { waiter in
                    guard waiter.seq <= through else { return false }
                    ready.append(waiter.continuation)
                    return true
                }
            case let .failure(error):
                // Invariant: after a failed write or sync nothing more is acknowledged (no retry of fsync).
                logger.critical("journal write failed; refusing further writes", metadata: ["error": "\(error)"])
                failure = .journalFailed(error.description)
                ready = waiters.map(\.continuation)
                waiters = []
                buffer = []
            }
            condition.unlock()
            switch result {
            case .success: for waiter in ready { waiter.resume() }
            case let .failure(error): for waiter in ready { waiter.resume(throwing: StoreError.journalFailed(error.description)) }
            }
            if case .failure = result {
                condition.lock()
                stopped.store(true, ordering: .releasing)
                condition.broadcast()
                condition.unlock()
                return
            }
        }
    }

    private func write(_ batch: [UInt8], firstSeq: UInt64) throws(StoreError) {
        if segmentFD < 0 || (segmentSize > FileHeader.size && segmentSize + batch.count > segmentLimit) {
            try startSegment(firstSeq: firstSeq)
        }
        try FileIO.writeAll(segmentFD, batch, path: segmentPath)
        try FileIO.sync(segmentFD, path: segmentPath)
        segmentSize += batch.count
    }

    private func startSegment(firstSeq: UInt64) throws(StoreError) {
        if segmentFD >= 0 { Glibc.close(segmentFD) }
        segmentPath = directory + "/" + DataDirectory.sequenceName(firstSeq, suffix: ".log")
        segmentFD = try FileIO.open(segmentPath, O_WRONLY | O_CREAT | O_EXCL | O_APPEND)
        // The header is made durable by the first batch's sync, before anything in it is acknowledged.
        let header = FileHeader.bytes(for: .segment)
        try FileIO.writeAll(segmentFD, header, path: segmentPath)
        segmentSize = header.count
        // The new file's directory entry must be durable before anything in it is acknowledged.
        try FileIO.syncDirectory(directory)
        logger.debug("journal segment started", metadata: ["segment": "\(segmentPath)"])
    }
}
