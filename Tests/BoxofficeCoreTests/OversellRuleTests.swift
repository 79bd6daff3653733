import BoxofficeCore
import BoxofficeTestSupport
import Foundation
import Testing

@Suite struct OversellRuleTests {
    private func sales(_ count: Int, using random: inout SeededRandom) -> [OversellRule.Sale] {
        (0..<count).map { n in
            // Few distinct clocks and nodes, so ties on the HLC and on the node are common.
            OversellRule.Sale(
                hlc: HLC(wallMillis: UInt64.random(in: 1_000...1_010, using: &random), counter: UInt16.random(in: 0...2, using: &random)),
                node: ["venue-a", "venue-b", "venue-c"].randomElement(using: &random)!,
                ticketId: "t\(n)"
            )
        }
    }

    @Test func theEarliestSalesStandAndTiesFallToNodeThenTicket() {
        let early = OversellRule.Sale(hlc: HLC(wallMillis: 5, counter: 0), node: "venue-b", ticketId: "t9")
        let tieA = OversellRule.Sale(hlc: HLC(wallMillis: 6, counter: 0), node: "venue-a", ticketId: "t5")
        let tieB1 = OversellRule.Sale(hlc: HLC(wallMillis: 6, counter: 0), node: "venue-b", ticketId: "t1")
        let tieB2 = OversellRule.Sale(hlc: HLC(wallMillis: 6, counter: 0), node: "venue-b", ticketId: "t2")
        #expect(OversellRule.oversold([tieB2, tieB1, tieA, early], capacity: 2) == [tieB1, tieB2])
        #expect(OversellRule.oversold([tieB2, early], capacity: 2).isEmpty)
        #expect(OversellRule.oversold([tieB2, early], capacity: 0) == [early, tieB2])
    }

    /// Every node reaches the same verdict whatever order the sales reached it in, and exactly
    /// `capacity` sales stand.
    @Test(arguments: 0..<20)
    func theVerdictIsTheSameInEveryArrivalOrder(_ run: Int) {
        var random = SeededRandom(seed: SeededRandom().seed &+ UInt64(run))
        let all = sales(Int.random(in: 0...60, using: &random), using: &random)
        let capacity = Int.random(in: 0...40, using: &random)
        let verdict = Set(OversellRule.oversold(all, capacity: capacity))
        for _ in 0..<5 { #expect(Set(OversellRule.oversold(all.shuffled(using: &random), capacity: capacity)) == verdict, "seed \(random.seed)") }
        #expect(verdict.count == max(0, all.count - capacity))
    }

    /// A node that knows only some of the sales never marks one that the full set lets stand, so
    /// acting on a partial view is safe.
    @Test(arguments: 0..<20)
    func aPartialViewNeverOversellsASaleThatStands(_ run: Int) {
        var random = SeededRandom(seed: SeededRandom().seed &+ UInt64(run) &* 7)
        let all = sales(Int.random(in: 1...60, using: &random), using: &random)
        let capacity = Int.random(in: 0...40, using: &random)
        let full = Set(OversellRule.oversold(all, capacity: capacity))
        let known = all.filter { _ in Bool.random(using: &random) }
        #expect(Set(OversellRule.oversold(known, capacity: capacity)).isSubset(of: full), "seed \(random.seed)")
    }

    /// A ticket from a node older than 0.3 has no sale HLC: it still decodes, and its sale time
    /// places it in the order.
    @Test func aTicketWithoutASaleHLCIsOrderedByItsSaleTime() throws {
        let json =
            #"{"eventId":"e1","holderName":"Old","code":"ABC","status":"valid","price":5,"currency":"EUR","soldAt":"2026-11-25T20:00:00Z","soldBy":"venue-old"}"#
        let ticket = try JSONBody(unchecked: Array(json.utf8)).decode(Ticket.self)
        #expect(ticket.saleHLC == nil)
        #expect(ticket.saleOrder == HLC(wallMillis: 1_795_636_800_000, counter: 0))
    }
}
