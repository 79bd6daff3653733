import BoxofficeCore
import BoxofficeTestSupport
import Testing

@Suite struct SeatLedgerTests {
    @Test func seatsAreTheShareplusReceivedMinusGiven() {
        let rows = [
            AllocationRow(eventId: "e", node: "a", given: ["b": 3, "c": 1]),
            AllocationRow(eventId: "e", node: "b", given: ["a": 2]),
        ]
        let initial = ["a": 10, "b": 5]
        #expect(SeatLedger.seats(of: "a", initial: initial, rows: rows) == 10 + 2 - 4)
        #expect(SeatLedger.seats(of: "b", initial: initial, rows: rows) == 5 + 3 - 2)
        #expect(SeatLedger.seats(of: "c", initial: initial, rows: rows) == 1)
    }

    @Test func aReclaimMovesADeadNodesSeatsAndKeepsTheirSum() {
        let initial = ["hub": 10, "dead": 5]
        var rows = [AllocationRow(eventId: "e", node: "hub", given: ["dead": 3])]
        // The hub saw the dead node sell 2 of its 8: it takes the other 6.
        rows[0].reclaimed["dead"] = 6
        #expect(SeatLedger.seats(of: "hub", initial: initial, rows: rows) == 10 - 3 + 6)
        #expect(SeatLedger.seats(of: "dead", initial: initial, rows: rows) == 5 + 3 - 6)
        #expect(SeatLedger.reclaimed(from: "dead", rows: rows) == 6)
        #expect(SeatLedger.reclaimed(from: "hub", rows: rows) == 0)
        #expect(["hub", "dead"].map { SeatLedger.seats(of: $0, initial: initial, rows: rows) }.reduce(0, +) == 15)
    }

    @Test func aRowWithoutReclaimsReadsAndWritesAsBefore() throws {
        let old = #"{"eventId":"e","given":{"b":1},"node":"a","resized":0}"#
        let row = try JSONCoding.decode(AllocationRow.self, from: Array(old.utf8))
        #expect(row.reclaimed.isEmpty)
        let written = String(decoding: try JSONCoding.encode(row), as: UTF8.self)
        #expect(written == old)
    }

    /// Three nodes sell and give seats away while their views of each other's rows lag behind
    /// (random partial syncs): under escrow, sales never exceed capacity, whatever the interleaving.
    @Test(arguments: 0..<30)
    func escrowNeverOversellsUnderAnyInterleaving(_ run: Int) {
        var random = SeededRandom(seed: SeededRandom().seed &+ UInt64(run))
        let nodes = ["a", "b", "c"]
        let capacity = 30
        let initial = ["a": 10, "b": 15, "c": 5]
        // views[n][m]: node n's copy of m's row. A node's own row is always current.
        var views = nodes.map { _ in Dictionary(uniqueKeysWithValues: nodes.map { ($0, AllocationRow(eventId: "e", node: $0)) }) }
        var sold = [0, 0, 0]
        func available(_ n: Int) -> Int { SeatLedger.seats(of: nodes[n], initial: initial, rows: Array(views[n].values)) - sold[n] }

        for _ in 0..<200 {
            let n = Int.random(in: 0..<3, using: &random)
            switch Int.random(in: 0..<4, using: &random) {
            case 0:
                // Invariant under test: a node sells only while its own view says it has a seat.
                if available(n) > 0 { sold[n] += 1 }
            case 1:
                let seats = available(n)
                guard seats > 0 else { continue }
                let peer = (n + Int.random(in: 1...2, using: &random)) % 3
                views[n][nodes[n]]!.given[nodes[peer], default: 0] += Int.random(in: 1...seats, using: &random)
            case 2:
                // A capacity change at n: it adds seats, or removes some of its own unsold ones.
                views[n][nodes[n]]!.resized += Int.random(in: -available(n)...5, using: &random)
            default:
                // A sync: `target` learns `source`'s own row (rows only grow, so newer replaces older).
                let target = (n + Int.random(in: 1...2, using: &random)) % 3
                views[target][nodes[n]] = views[n][nodes[n]]
            }
            // The true capacity: every node's own row is current in its own view.
            let now = SeatLedger.capacity(created: capacity, rows: nodes.indices.map { views[$0][nodes[$0]]! })
            #expect(sold.reduce(0, +) <= now, "seed \(random.seed)")
        }
        // Fully synced, every node computes the same allocations, and they add up to the capacity.
        for source in 0..<3 { for target in 0..<3 { views[target][nodes[source]] = views[source][nodes[source]] } }
        let seats = nodes.map { SeatLedger.seats(of: $0, initial: initial, rows: Array(views[0].values)) }
        #expect(seats.reduce(0, +) == SeatLedger.capacity(created: capacity, rows: Array(views[0].values)))
        #expect((1..<3).allSatisfy { n in nodes.map { SeatLedger.seats(of: $0, initial: initial, rows: Array(views[n].values)) } == seats })
        #expect(zip(seats, sold).allSatisfy { $0 >= $1 })
    }
}

@Suite struct RebalancingTests {
    @Test func anIdlePeerGivesHalfRoundedUpAndAShortOneKeepsItsLastSeat() {
        #expect(SeatLedger.grant(requested: 10, spare: 7, giverIsShort: false) == 4)
        #expect(SeatLedger.grant(requested: 10, spare: 1, giverIsShort: false) == 1)
        #expect(SeatLedger.grant(requested: 10, spare: 1, giverIsShort: true) == 0)
        #expect(SeatLedger.grant(requested: 3, spare: 70, giverIsShort: false) == 3)
        #expect(SeatLedger.grant(requested: 10, spare: 0, giverIsShort: false) == 0)
    }

    @Test func aGrantCoversTheAskersDemandOutOfWhatTheGiverDoesNotNeed() {
        // Over the 10-second horizon, 60 seats a minute need 10.
        #expect(SeatLedger.need(perMinute: 60) == 10 && SeatLedger.need(perMinute: 1) == 1 && SeatLedger.need(perMinute: -3) == 0)
        #expect(SeatLedger.need(perMinute: .greatestFiniteMagnitude) == 166_667, "a claimed demand is bounded")
        #expect(SeatLedger.request(capacity: 100, perMinute: 0) == 10 && SeatLedger.request(capacity: 100, perMinute: 360) == 60)
        // An idle giver gives what the demand needs, not half its spare.
        #expect(SeatLedger.grant(requested: 60, spare: 400, askerPerMinute: 360, ownPerMinute: 0) == 60)
        // A busy giver keeps what its own demand needs.
        #expect(SeatLedger.grant(requested: 60, spare: 70, askerPerMinute: 360, ownPerMinute: 240) == 30)
        #expect(SeatLedger.grant(requested: 60, spare: 30, askerPerMinute: 360, ownPerMinute: 240) == 0)
        // Five nodes asking share what the giver can give: at most a fifth (rounded up) each.
        #expect(SeatLedger.grant(requested: 600, spare: 500, askerPerMinute: 6_000, ownPerMinute: 0, askers: 5) == 100)
        #expect(SeatLedger.grant(requested: 600, spare: 3, askerPerMinute: 6_000, ownPerMinute: 0, askers: 5) == 1)
        // No demand, no seats; never more than asked, nor than the giver holds.
        #expect(SeatLedger.grant(requested: 10, spare: 5, askerPerMinute: 0, ownPerMinute: 0) == 0)
        #expect(SeatLedger.grant(requested: 3, spare: 500, askerPerMinute: 600, ownPerMinute: 0) == 3)
        #expect(SeatLedger.grant(requested: 3, spare: 0, askerPerMinute: 600, ownPerMinute: 0) == 0)
    }

    @Test func anIdleNodeKeepsABufferAndGivesTheRestBack() {
        #expect(SeatLedger.surplus(remainingHere: 40, capacity: 100) == 35)
        #expect(SeatLedger.surplus(remainingHere: 5, capacity: 100) == 0)
        #expect(SeatLedger.surplus(remainingHere: 0, capacity: 100) == 0)
    }

    /// Idle seats go back the way they came and stop: the home keeps what comes back, and two
    /// idle venues that each gave the other seats do not pass them to and fro.
    @Test func idleSeatsGoBackTheWayTheyCameAndStop() {
        var hub = AllocationRow(eventId: "e", node: "hub")
        hub.given = ["a": 30]
        var a = AllocationRow(eventId: "e", node: "a")
        a.given = ["b": 12]
        var b = AllocationRow(eventId: "e", node: "b")
        b.given = ["a": 4]
        let rows = [hub, a, b]
        #expect(SeatLedger.giveBack(surplus: 20, from: "a", to: "hub", home: "hub", rows: rows) == 20)
        #expect(SeatLedger.giveBack(surplus: 20, from: "hub", to: "a", home: "hub", rows: rows) == 0)
        // a gave b 12 and had 4 back: b gives back at most the other 8; a owes b nothing.
        #expect(SeatLedger.giveBack(surplus: 20, from: "b", to: "a", home: "hub", rows: rows) == 8)
        #expect(SeatLedger.giveBack(surplus: 3, from: "b", to: "a", home: "hub", rows: rows) == 3)
        #expect(SeatLedger.giveBack(surplus: 20, from: "a", to: "b", home: "hub", rows: rows) == 0)
        // Once b gave those 8 back, neither owes the other: nothing moves either way.
        b.given["a"] = 12
        #expect(SeatLedger.giveBack(surplus: 20, from: "a", to: "b", home: nil, rows: [hub, a, b]) == 0)
        #expect(SeatLedger.giveBack(surplus: 20, from: "b", to: "a", home: nil, rows: [hub, a, b]) == 0)
    }

    @Test func onlyANodeWithBuyersAndFewSeatsIsShort() {
        #expect(SeatLedger.lowWater(capacity: 100) == 5 && SeatLedger.request(capacity: 100) == 10)
        #expect(SeatLedger.lowWater(capacity: 3) == 1)
        #expect(SeatLedger.isShort(remainingHere: 4, hasDemand: true, capacity: 100))
        #expect(!SeatLedger.isShort(remainingHere: 0, hasDemand: false, capacity: 100))
        #expect(!SeatLedger.isShort(remainingHere: 5, hasDemand: true, capacity: 100))
    }

    /// Nodes with random demand ask each other for seats after every sale: the allocations always
    /// add up to the capacity (a gift only moves seats the giver holds), every seat sells when
    /// every node has buyers, and a node without buyers never asks.
    @Test(arguments: 0..<20)
    func rebalancingMovesSeatsToBuyersWithoutLosingAny(_ run: Int) {
        var random = SeededRandom(seed: SeededRandom().seed &+ UInt64(run))
        let nodes = ["a", "b", "c"]
        let capacity = Int.random(in: 1...120, using: &random)
        let idle = Int.random(in: 0..<3, using: &random)
        var seats = [capacity, 0, 0]
        var sold = [0, 0, 0]
        var asked = [false, false, false]
        for _ in 0..<2_000 {
            let n = Int.random(in: 0..<3, using: &random)
            if n != idle && seats[n] > sold[n] { sold[n] += 1 }
            let spareHere = seats[n] - sold[n]
            guard SeatLedger.isShort(remainingHere: spareHere, hasDemand: n != idle, capacity: capacity) else { continue }
            asked[n] = true
            let peer = (n + Int.random(in: 1...2, using: &random)) % 3
            let spare = seats[peer] - sold[peer]
            let giverShort = SeatLedger.isShort(remainingHere: spare, hasDemand: peer != idle && sold[peer] > 0, capacity: capacity)
            let gift = SeatLedger.grant(requested: SeatLedger.request(capacity: capacity), spare: spare, giverIsShort: giverShort)
            #expect(gift <= spare)
            seats[n] += gift
            seats[peer] -= gift
        }
        #expect(seats.reduce(0, +) == capacity, "seed \(random.seed)")
        #expect(zip(seats, sold).allSatisfy { $0 >= $1 })
        #expect(sold.reduce(0, +) == capacity, "seed \(random.seed): \(nodes) sold \(sold) of \(capacity)")
        #expect(!asked[idle])
    }
}
