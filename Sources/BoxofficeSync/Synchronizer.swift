import Dispatch

/// Moves versions between this node and a peer until both feeds are applied on the other side:
/// pull (the peer's feed into this node), then push (this node's feed into the peer). Each batch
/// carries its checkpoint, stored with it, so an interrupted sync resumes where it stopped,
/// without loss and without applying a batch twice.
public struct Synchronizer: Sendable {
    public enum Direction: String, Sendable {
        case pull, push
    }

    public struct Progress: Sendable {
        public var direction: Direction
        public var batches = 0
        public var versions = 0
        /// Feed positions done and to do, for a progress bar.
        public var position: UInt64 = 0
        public var end: UInt64 = 0
        public var seconds = 0.0
    }

    public struct Summary: Sendable, Equatable {
        public var pulled = 0
        public var pushed = 0
        public var conflicts = 0
        public var batches = 0
        public var seconds = 0.0
    }

    public let local: any SyncEndpoint
    public let remote: any SyncEndpoint
    public var batchSize = 1_000
    /// Sends and fetches both feeds from their beginning, whatever the checkpoints say, and sets the
    /// checkpoints to where this run ends: what a node restored from a backup needs, since its
    /// peers' checkpoints count versions of a history the restore took back.
    public var fromStart = false

    public init(local: any SyncEndpoint, remote: any SyncEndpoint) {
        self.local = local
        self.remote = remote
    }

    public func run(pull: Bool = true, push: Bool = true, progress: @Sendable (Progress) -> Void = { _ in }) async throws -> Summary {
        let started = DispatchTime.now()
        let localInfo = try await local.info()
        let remoteInfo = try await remote.info()
        guard localInfo.nodeId != remoteInfo.nodeId else {
            throw SyncError.badRequest("both sides are node \(localInfo.nodeId): a node does not sync with itself")
        }
        var summary = Summary()
        if pull {
            let moved = try await transfer(.pull, from: remote, info: remoteInfo, to: local, started: started, progress: progress)
            summary.pulled = moved.versions
            summary.conflicts += moved.conflicts
            summary.batches += moved.batches
        }
        if push {
            let moved = try await transfer(.push, from: local, info: localInfo, to: remote, started: started, progress: progress)
            summary.pushed = moved.versions
            summary.conflicts += moved.conflicts
            summary.batches += moved.batches
        }
        summary.seconds = Self.seconds(since: started)
        return summary
    }

    private func transfer(
        _ direction: Direction,
        from source: any SyncEndpoint,
        info: SyncInfo,
        to target: any SyncEndpoint,
        started: DispatchTime,
        progress: (Progress) -> Void
    ) async throws -> (versions: Int, conflicts: Int, batches: Int) {
        var since = fromStart ? 0 : try await target.checkpoint(from: info.nodeId)
        // A checkpoint past the source's end means the source was restored from an older copy: start over (applying is idempotent).
        if since > info.lastSeq { since = 0 }
        var state = Progress(direction: direction, position: since, end: max(info.lastSeq, since))
        var conflicts = 0
        let batchSize = batchSize
        // Three pages are in hand at once, each at its own step: while this one is applied, the
        // next is checked and the one after it fetched (the source serves it meanwhile). Pages
        // are still applied one after the other, in feed order. Pages in hand when an apply fails
        // are dropped unread: at most one read of the source is then still running. A peer's
        // requests queue on its one curl handle, so it never overlaps the next run's (cancelling
        // a task would not stop curl).
        let start = since
        var ahead = Self.checked(Task { try await source.changes(since: start, limit: batchSize) }, from: source, limit: batchSize, by: target)
        while true {
            let (page, batch, fetching) = try await ahead.value
            if let fetching { ahead = Self.checked(fetching, from: source, limit: batchSize, by: target) }
            // A page of nothing but the source's own bookkeeping is not applied: an idle pair of
            // nodes syncing every 2 s then writes nothing at all.
            if !page.versions.isEmpty || fromStart {
                let checkpoint = Checkpoint(peer: info.nodeId, seq: page.next, restart: fromStart ? true : nil)
                let result = try await target.apply(batch, checkpoint: checkpoint)
                conflicts += result.conflicts
                state.batches += 1
                state.versions += page.versions.count
            }
            since = page.next
            state.position = since
            state.end = max(state.end, since)
            state.seconds = Self.seconds(since: started)
            progress(state)
            if page.complete { break }
        }
        return (state.versions, conflicts, state.batches)
    }

    /// The page `fetching` brings, as `target` checks it; the fetch of the page after it starts as
    /// soon as this one has arrived, so the source serves it while this one is checked.
    private static func checked(
        _ fetching: Task<ChangesPage, any Error>,
        from source: any SyncEndpoint,
        limit: Int,
        by target: any SyncEndpoint
    ) -> Task<(ChangesPage, CheckedBatch, Task<ChangesPage, any Error>?), any Error> {
        Task {
            let page = try await fetching.value
            let next = page.complete ? nil : Task { [after = page.next] in try await source.changes(since: after, limit: limit) }
            return (page, await target.check(page.versions), next)
        }
    }

    private static func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }
}
