import BoxofficeCore
import Synchronization
import Testing

/// A wall clock the test moves by hand.
final class ManualClock: Sendable {
    let millis = Mutex<UInt64>(1_700_000_000_000)
    func set(_ value: UInt64) { millis.withLock { $0 = value } }
    var read: @Sendable () -> UInt64 { { self.millis.withLock { $0 } } }
}

@Suite struct HybridLogicalClockTests {
    @Test func timestampsIncreaseWhenTheWallClockJumpsBackwards() {
        let wall = ManualClock()
        var clock = HybridLogicalClock(wallClock: wall.read)
        let first = clock.now()
        wall.set(1_600_000_000_000)  // NTP steps the clock back a lot
        let second = clock.now()
        let third = clock.now()
        #expect(first < second && second < third)
        #expect(second.wallMillis == first.wallMillis && second.counter == first.counter + 1)
        wall.set(1_700_000_000_500)
        let fourth = clock.now()
        #expect(fourth == HLC(wallMillis: 1_700_000_000_500, counter: 0))
    }

    @Test func aFullCounterBorrowsTheNextMillisecond() {
        let wall = ManualClock()
        var clock = HybridLogicalClock(last: HLC(wallMillis: 1_700_000_000_000, counter: .max), wallClock: wall.read)
        let next = clock.now()
        #expect(next == HLC(wallMillis: 1_700_000_000_001, counter: 0))
    }

    @Test func receivingARemoteTimestampMovesPastIt() throws {
        let wall = ManualClock()
        var clock = HybridLogicalClock(wallClock: wall.read)
        let remote = HLC(wallMillis: 1_700_000_060_000, counter: 7)  // one minute ahead: within skew
        let merged = try clock.receive(remote)
        #expect(merged == HLC(wallMillis: 1_700_000_060_000, counter: 8))
        #expect(clock.now() > merged)
    }

    @Test func receivingAnOlderTimestampKeepsLocalTime() throws {
        let wall = ManualClock()
        var clock = HybridLogicalClock(wallClock: wall.read)
        let merged = try clock.receive(HLC(wallMillis: 1_600_000_000_000, counter: 3))
        #expect(merged == HLC(wallMillis: 1_700_000_000_000, counter: 0))
    }

    @Test func equalWallTimesTakeTheGreaterCounterPlusOne() throws {
        let wall = ManualClock()
        var clock = HybridLogicalClock(last: HLC(wallMillis: 1_700_000_000_000, counter: 2), wallClock: wall.read)
        let merged = try clock.receive(HLC(wallMillis: 1_700_000_000_000, counter: 9))
        #expect(merged == HLC(wallMillis: 1_700_000_000_000, counter: 10))
    }

    @Test func aClockTooFarAheadIsRefusedNotAdopted() {
        let wall = ManualClock()
        var clock = HybridLogicalClock(maxSkewMillis: 300_000, wallClock: wall.read)
        let before = clock.last
        let remote = HLC(wallMillis: 1_700_000_000_000 + 300_001, counter: 0)
        #expect(throws: DocumentError.clockSkew(remote: remote, localWallMillis: 1_700_000_000_000, maxSkewMillis: 300_000)) {
            try clock.receive(remote)
        }
        #expect(clock.last == before)
        #expect(throws: Never.self) { try clock.receive(HLC(wallMillis: 1_700_000_000_000 + 300_000, counter: 0)) }
    }

    @Test func observeNeverMovesTheClockBack() {
        let wall = ManualClock()
        var clock = HybridLogicalClock(wallClock: wall.read)
        clock.observe(HLC(wallMillis: 1_800_000_000_000, counter: 4))
        clock.observe(HLC(wallMillis: 1_500_000_000_000, counter: 0))
        #expect(clock.now() == HLC(wallMillis: 1_800_000_000_000, counter: 5))
    }
}

@Suite struct HLCTests {
    @Test func textFormIsFixedWidthHexAndRoundTrips() {
        let stamp = HLC(wallMillis: 1_700_000_000_000, counter: 42)
        #expect(stamp.description.count == 16)
        #expect(HLC(stamp.description) == stamp)
        #expect(HLC("0000000000000001") == HLC(rawValue: 1))
    }

    @Test(arguments: ["", "123", "00000000000000000", "000000000000000G", "000000000000000A", "-000000000000001"])
    func malformedTextIsRejected(_ text: String) {
        #expect(HLC(text) == nil)
    }

    @Test func textOrderIsTimestampOrder() {
        let stamps = [HLC(wallMillis: 5, counter: 0xffff), HLC(wallMillis: 6, counter: 0), HLC(wallMillis: 0xfff, counter: 1)]
        #expect(stamps.map(\.description) == stamps.map(\.description).sorted())
        #expect(stamps == stamps.sorted())
    }
}

@Suite struct VersionTests {
    @Test func ordersByTimestampThenNode() {
        let early = Version(hlc: HLC(rawValue: 10), node: "zeta")
        let tieA = Version(hlc: HLC(rawValue: 11), node: "venue-a")
        let tieB = Version(hlc: HLC(rawValue: 11), node: "venue-b")
        #expect(early < tieA)
        #expect(tieA < tieB)
        #expect(!(tieB < tieA))
        #expect([tieB, early, tieA].sorted() == [early, tieA, tieB])
    }

    @Test func nodeTieBreakIsByteOrderNotLocaleOrder() {
        // Uppercase letters sort before lowercase in byte order.
        #expect(Version(hlc: HLC(rawValue: 1), node: "Z") < Version(hlc: HLC(rawValue: 1), node: "a"))
        #expect(Version(hlc: HLC(rawValue: 1), node: "a") < Version(hlc: HLC(rawValue: 1), node: "a-"))
    }
}
