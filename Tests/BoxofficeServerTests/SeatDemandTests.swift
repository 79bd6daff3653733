import BoxofficeCore
import BoxofficeSync
import BoxofficeVenue
import Foundation
import Testing

/// Demand per event over the last minute, on a clock the test sets.
@Suite struct SeatDemandTests {
    private let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func salesRefusalsAndHoldsCountForAMinuteThenFadeAndPassedOnDemandIsKeptApart() async throws {
        let demand = SeatDemand(startedAt: start)
        _ = try await demand.noting("e-1", seats: 3, at: start) { () }
        _ = try await demand.noting("e-1", seats: 2, hold: true, at: start.addingTimeInterval(10)) { () }
        await #expect(throws: DomainError.self) {
            try await demand.noting("e-1", seats: 4, at: start.addingTimeInterval(20)) {
                throw DomainError.notEnoughSeats(requested: 4, available: 1)
            }
        }
        #expect(demand.rate(of: "e-1", at: start.addingTimeInterval(30)) == SeatDemandRate(sold: 3, refused: 4, held: 2))
        #expect(demand.wasRefused("e-1") && !demand.wasRefused("e-2"))
        #expect(demand.lastDemand(for: "e-1") == start.addingTimeInterval(20) && demand.lastDemand(for: "e-2") == nil)
        // A minute on, the first sale no longer counts; the rest fades in turn.
        #expect(demand.rate(of: "e-1", at: start.addingTimeInterval(65)) == SeatDemandRate(sold: 0, refused: 4, held: 2))
        #expect(demand.rate(of: "e-1", at: start.addingTimeInterval(200)) == SeatDemandRate())
        // What peers asked in vain shows in what this node wants, not in its own demand.
        demand.passOn("e-2", seats: 6, at: start.addingTimeInterval(200))
        #expect(demand.rate(of: "e-2", at: start.addingTimeInterval(201)) == SeatDemandRate())
        #expect(demand.wanted(at: start.addingTimeInterval(201)) == ["e-2": SeatDemandRate(refused: 6)])
        #expect(demand.wanted("e-2", at: start.addingTimeInterval(201)).seatsPerMinute == 6)
    }
}
