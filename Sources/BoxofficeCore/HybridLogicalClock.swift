import Glibc

/// A hybrid logical clock (Kulkarni et al., 2014) for one node.
///
/// Guarantees: every timestamp it hands out is greater than every timestamp it handed out or
/// received before, even when the wall clock jumps backwards; and it never adopts a remote
/// timestamp further ahead of the local wall clock than `maxSkewMillis`.
public struct HybridLogicalClock: Sendable {
    /// Five minutes: a peer whose clock is further ahead than this is refused, not followed.
    public static let defaultMaxSkewMillis: UInt64 = 5 * 60 * 1000

    public private(set) var last: HLC
    public let maxSkewMillis: UInt64
    private let wallClock: @Sendable () -> UInt64

    /// - Parameters:
    ///   - last: the greatest timestamp already issued or seen (after recovery, the store's maximum).
    ///   - wallClock: milliseconds since the Unix epoch; injectable so tests can make time jump.
    public init(
        last: HLC = .zero,
        maxSkewMillis: UInt64 = Self.defaultMaxSkewMillis,
        wallClock: @escaping @Sendable () -> UInt64 = HybridLogicalClock.systemMillis
    ) {
        self.last = last
        self.maxSkewMillis = maxSkewMillis
        self.wallClock = wallClock
    }

    /// A timestamp for a local event.
    public mutating func now() -> HLC {
        let physical = min(wallClock(), HLC.maxWallMillis)
        // Invariant: strictly increasing, whatever the wall clock does.
        last = physical > last.wallMillis ? HLC(wallMillis: physical, counter: 0) : last.successor
        return last
    }

    /// Merges a timestamp received from a peer and returns a local timestamp after both.
    /// - Throws: `DocumentError.clockSkew` when `remote` is more than `maxSkewMillis` ahead of this node's wall clock.
    public mutating func receive(_ remote: HLC) throws(DocumentError) -> HLC {
        let physical = min(wallClock(), HLC.maxWallMillis)
        guard remote.wallMillis <= physical + maxSkewMillis else {
            throw .clockSkew(remote: remote, localWallMillis: physical, maxSkewMillis: maxSkewMillis)
        }
        let wall = max(physical, last.wallMillis, remote.wallMillis)
        let counter: Int
        switch (wall == last.wallMillis, wall == remote.wallMillis) {
        case (true, true): counter = Int(max(last.counter, remote.counter)) + 1
        case (true, false): counter = Int(last.counter) + 1
        case (false, true): counter = Int(remote.counter) + 1
        case (false, false): counter = 0
        }
        last = counter > Int(UInt16.max) ? HLC(wallMillis: wall + 1, counter: 0) : HLC(wallMillis: wall, counter: UInt16(counter))
        return last
    }

    /// Records a timestamp that is already part of this node's history (replayed at recovery),
    /// so that later timestamps sort after it; no skew check, the store already accepted it.
    public mutating func observe(_ seen: HLC) {
        if seen > last { last = seen }
    }

    /// The system's real-time clock in milliseconds since the Unix epoch.
    @Sendable public static func systemMillis() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return UInt64(now.tv_sec) * 1000 + UInt64(now.tv_nsec) / 1_000_000
    }
}
