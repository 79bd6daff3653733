import BoxofficeCore
import BoxofficeTestSupport
import Testing

@Suite struct MergeTests {
    private func stamp(_ raw: UInt64, _ node: String) -> Version { Version(hlc: HLC(rawValue: raw), node: node) }
    private func document(_ version: Version, history: [Version] = []) -> Document {
        Document(collection: "events", id: "e1", version: version, history: history, deleted: false, body: .emptyObject)
    }

    @Test func descentDecidesWithoutConflict() {
        let base = document(stamp(10, "a"))
        let next = base.successor(version: stamp(11, "b"), body: .emptyObject, deleted: false, historyLimit: 50)
        #expect(MergeDecision.decide(incoming: base, stored: nil) == .apply)
        #expect(MergeDecision.decide(incoming: next, stored: base) == .apply)
        #expect(MergeDecision.decide(incoming: base, stored: next) == .ignore)
        #expect(MergeDecision.decide(incoming: next, stored: next) == .ignore)
    }

    @Test func concurrentVersionsGoToTheGreaterAndTheLoserIsReported() {
        let base = document(stamp(10, "a"))
        let left = base.successor(version: stamp(20, "a"), body: .emptyObject, deleted: false, historyLimit: 50)
        let right = base.successor(version: stamp(20, "b"), body: .emptyObject, deleted: false, historyLimit: 50)
        #expect(MergeDecision.decide(incoming: right, stored: left) == .applyOverConcurrent(loser: left))
        #expect(MergeDecision.decide(incoming: left, stored: right) == .keepOverConcurrent(loser: left))
    }

    @Test func concurrentCheckInsKeepTheEarliestScan() {
        let early = Document(
            collection: CheckIn.collection,
            id: "t-1",
            version: stamp(100, "venue-b"),
            history: [],
            deleted: false,
            body: .emptyObject
        )
        let late = Document(
            collection: CheckIn.collection,
            id: "t-1",
            version: stamp(200, "venue-a"),
            history: [],
            deleted: false,
            body: .emptyObject
        )
        #expect(MergeRule.of(collection: CheckIn.collection) == .firstWriterWins)
        #expect(MergeDecision.decide(incoming: early, stored: late) == .applyOverConcurrent(loser: late))
        #expect(MergeDecision.decide(incoming: late, stored: early) == .keepOverConcurrent(loser: late))
    }

    /// Random histories on three simulated nodes, synced in random orders and groupings, end
    /// identical; every version that lost to a concurrent one is reported by some node.
    @Test(arguments: 0..<40)
    func anySyncOrderConvergesAndReportsEveryLoser(_ run: Int) {
        var random = SeededRandom(seed: SeededRandom().seed &+ UInt64(run))
        let names = ["venue-a", "venue-b", "venue-c"]
        let wall = ManualClock()
        var clocks = names.map { _ in HybridLogicalClock(wallClock: wall.read) }
        var stores: [[String: Document]] = [[:], [:], [:]]
        var losers: [Document] = []
        var written = Set<Version>()

        func sync(from source: Int, to target: Int) {
            for incoming in stores[source].values.shuffled(using: &random) {
                _ = try? clocks[target].receive(incoming.version.hlc)
                let stored = stores[target][incoming.id]
                let decision = MergeDecision.decide(incoming: incoming, stored: stored)
                if let loser = decision.loser { losers.append(loser) }
                stores[target][incoming.id] = decision.winner(incoming: incoming, stored: stored)
            }
        }

        func write(at node: Int, number: Int) {
            // Half the documents merge last-writer-wins, half first-writer-wins.
            let (collection, id) = (number < 2 ? "events" : CheckIn.collection, "d\(number)")
            let version = Version(hlc: clocks[node].now(), node: names[node])
            let next =
                stores[node][id]?.successor(version: version, body: .emptyObject, deleted: false, historyLimit: 50)
                ?? Document(collection: collection, id: id, version: version, history: [], deleted: false, body: .emptyObject)
            stores[node][id] = next
            written.insert(version)
        }

        // Two nodes write one document before any sync, so every run has at least one conflict to report.
        write(at: 0, number: 0)
        write(at: 1, number: 0)
        for _ in 0..<60 {
            wall.set(wall.read() + UInt64.random(in: 0...3, using: &random))  // coarse clocks make ties and concurrency likely
            let node = Int.random(in: 0..<3, using: &random)
            if Bool.random(using: &random) {
                write(at: node, number: Int.random(in: 0..<4, using: &random))
            } else {
                sync(from: node, to: (node + Int.random(in: 1...2, using: &random)) % 3)
            }
        }
        for _ in 0..<2 { for source in 0..<3 { for target in 0..<3 where source != target { sync(from: source, to: target) } } }

        #expect(stores[0] == stores[1] && stores[1] == stores[2], "seed \(random.seed)")
        // Every written version stands (a winner or its ancestor) or was reported: as a loser, or
        // as an ancestor of a loser (a local edit that a later, losing local edit superseded).
        let standing = Set(stores[0].values.flatMap { [$0.version] + $0.history })
        let reported = Set(losers.flatMap { [$0.version] + $0.history })
        #expect(written.subtracting(standing).subtracting(reported).isEmpty, "seed \(random.seed)")
        #expect(!losers.isEmpty, "the concurrent first writes must be reported, seed \(random.seed)")
    }
}

extension MergeDecision {
    /// The version that stands after the decision (a store holds it after merging).
    fileprivate func winner(incoming: Document, stored: Document?) -> Document {
        storesIncoming ? incoming : stored ?? incoming
    }
}
