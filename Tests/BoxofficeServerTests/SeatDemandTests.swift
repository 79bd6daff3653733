import BoxofficeCore
import BoxofficeSync
import BoxofficeVenue
import Foundation
import Testing

/// Demand per event over the last minute, on a clock the test sets.
@Suite struct SeatDemandTests {
    private let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func salesRefusalsAndHoldsCountForTenSecondsThenFadeAndPassedOnDemandIsKeptApart() async throws {
        let demand = SeatDemand(startedAt: start)
        _ = try await demand.noting("e-1", seats: 3, at: start) { () }
        _ = try await demand.noting("e-1", seats: 2, hold: true, at: start.addingTimeInterval(4)) { () }
        for quantity in [4, 4, 1] {
            await #expect(throws: DomainError.self) {
                try await demand.noting("e-1", seats: quantity, at: start.addingTimeInterval(6)) {
                    throw DomainError.notEnoughSeats(requested: quantity, available: 1)
                }
            }
        }
        // Seats in the last 10 s, per minute (times 6).
        #expect(demand.rate(of: "e-1", at: start.addingTimeInterval(7)) == SeatDemandRate(sold: 18, refused: 54, held: 12))
        #expect(demand.lastDemand(for: "e-1") == start.addingTimeInterval(6) && demand.lastDemand(for: "e-2") == nil)
        // Ten seconds on, the first sale no longer counts; the rest fades in turn.
        #expect(demand.rate(of: "e-1", at: start.addingTimeInterval(11)) == SeatDemandRate(sold: 0, refused: 54, held: 12))
        #expect(demand.rate(of: "e-1", at: start.addingTimeInterval(30)) == SeatDemandRate())
        // What peers asked in vain shows in what this node wants, not in its own demand.
        demand.passOn("e-2", seats: 6, for: "venue-b", at: start.addingTimeInterval(30))
        #expect(demand.rate(of: "e-2", at: start.addingTimeInterval(31)) == SeatDemandRate())
        #expect(demand.wanted(at: start.addingTimeInterval(31)) == ["e-2": SeatDemandRate(refused: 36)])
        #expect(demand.wanted("e-2", at: start.addingTimeInterval(31)).seatsPerMinute == 36)
        // A peer's request repeated every second counts once (its latest figure), is never told
        // back to that peer, and one that has come 8 hops is not passed on.
        for second in 31...35 { demand.passOn("e-2", seats: 6, hops: 2, for: "venue-b", at: start.addingTimeInterval(Double(second))) }
        #expect(demand.wanted("e-2", at: start.addingTimeInterval(35)).seatsPerMinute == 36)
        #expect(demand.wanted("e-2", at: start.addingTimeInterval(35), excluding: "venue-b") == SeatDemandRate())
        #expect(demand.hops("e-2", at: start.addingTimeInterval(35), to: "hub") == 3)
        demand.passOn("e-2", seats: 5, hops: SeatLedger.maxHops, for: "venue-c", at: start.addingTimeInterval(35))
        #expect(demand.wanted("e-2", at: start.addingTimeInterval(35), excluding: "venue-b") == SeatDemandRate())
        // Two askers' demand counts as the larger, not the sum, and travels with its own hops.
        demand.passOn("e-2", seats: 4, hops: 0, for: "venue-d", at: start.addingTimeInterval(35))
        #expect(demand.wanted("e-2", at: start.addingTimeInterval(35)).seatsPerMinute == 36)
        #expect(demand.hops("e-2", at: start.addingTimeInterval(35), to: "hub") == 3)
        #expect(demand.wanted("e-2", at: start.addingTimeInterval(46)) == SeatDemandRate())
        // Peers that asked lately share a giver's spare; one that asked 10 s ago no longer counts.
        #expect(demand.asked("e-2", by: "venue-b", at: start) == 1)
        #expect(demand.asked("e-2", by: "venue-c", at: start.addingTimeInterval(5)) == 2)
        #expect(demand.asked("e-2", by: "venue-c", at: start.addingTimeInterval(12)) == 1)
    }

    /// A node tells its peers the larger of its buyers' demand and what was passed on to it, never
    /// the sum: in a cycle of peers its own demand comes back to it, and a sum would add it again
    /// every time round.
    @Test func ownDemandAndPassedOnDemandCountAsTheLargerNeverTheSum() async throws {
        let demand = SeatDemand(startedAt: start)
        _ = try await demand.noting("e-1", seats: 6, at: start) { () }
        demand.passOn("e-1", seats: 3, hops: 1, for: "venue-b", at: start)
        #expect(demand.wanted("e-1", at: start) == SeatDemandRate(sold: 36))
        #expect(demand.hops("e-1", at: start, to: "hub") == 0)
        // A larger figure (this node's own demand come round a cycle, say) takes over with its hops.
        demand.passOn("e-1", seats: 10, hops: 4, for: "venue-b", at: start)
        #expect(demand.wanted("e-1", at: start) == SeatDemandRate(sold: 36, refused: 24))
        #expect(demand.hops("e-1", at: start, to: "hub") == 5)
        #expect(
            demand.want("e-1", spare: 4, at: start, for: "hub")
                == SeatWants.Want(eventId: "e-1", seats: 6, demand: SeatDemandRate(sold: 36, refused: 24), hops: 5)
        )
        #expect(demand.want("e-1", spare: 4, at: start, for: "venue-b")?.seats == 2)
    }

    @Test func wantsRelayedForPeersAreTheLatestFigureAndNeverToldBackToTheirPeer() {
        let demand = SeatDemand(startedAt: start)
        demand.relay(["e-1": (5, 0)], for: "hub", at: start)
        demand.relay(["e-1": (3, 2)], for: "venue-b", at: start.addingTimeInterval(1))
        // The latest figure for a peer replaces the one before; relays do not make this node short.
        demand.relay(["e-1": (4, 0)], for: "hub", at: start.addingTimeInterval(2))
        // The largest figure counts, not the sum: in a mesh one want arrives along several paths.
        #expect(demand.relayed(at: start.addingTimeInterval(3), excluding: nil)["e-1"].map { [$0.seats, $0.hops] } == [4, 0])
        #expect(demand.relayed(at: start.addingTimeInterval(3), excluding: "hub")["e-1"].map { [$0.seats, $0.hops] } == [3, 2])
        #expect(demand.wanted(at: start.addingTimeInterval(3)).isEmpty)
        // What this node then wants of its other callers: the seats it relays, counted as refused
        // demand, one hop further than the fewest; nothing from a caller's own want.
        let want = demand.want("e-1", spare: 2, at: start.addingTimeInterval(3), for: "venue-c")
        #expect(want == SeatWants.Want(eventId: "e-1", seats: 2, demand: SeatDemandRate(refused: 24), hops: 1))
        #expect(demand.want("e-1", spare: 2, at: start.addingTimeInterval(3), for: "hub")?.seats == 1)
        #expect(demand.want("e-1", spare: 7, at: start.addingTimeInterval(3), for: nil) == nil)
        // A peer's wants replace its figures: an event it no longer wants is forgotten at once, and
        // a want that has come 8 hops is not relayed (no cycle of peers keeps it going).
        demand.relay([:], for: "hub", at: start.addingTimeInterval(4))
        #expect(demand.relayed(at: start.addingTimeInterval(5), excluding: nil)["e-1"]?.seats == 3)
        demand.relay(["e-1": (9, SeatLedger.maxHops)], for: "venue-b", at: start.addingTimeInterval(5))
        #expect(demand.relayed(at: start.addingTimeInterval(5), excluding: nil).isEmpty)
        // One not heard of for 10 s fades.
        demand.relay(["e-1": (3, 1)], for: "venue-b", at: start.addingTimeInterval(6))
        #expect(demand.relayed(at: start.addingTimeInterval(15), excluding: nil)["e-1"]?.seats == 3)
        #expect(demand.relayed(at: start.addingTimeInterval(16), excluding: nil).isEmpty)
    }
}
