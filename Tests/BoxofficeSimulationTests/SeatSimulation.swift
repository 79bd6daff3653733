import BoxofficeCore
import BoxofficeSync
import BoxofficeTestSupport
import BoxofficeVenue
import Foundation

/// One seeded schedule of an escrow event among many nodes (sync-spec 10.1 and 10.2), in process:
/// no sockets, a virtual clock of one-second ticks. Nodes sell, sync along a random graph of peers
/// (trees, chains and meshes) and rebalance after each sync by the node's own rules: `SeatLedger`
/// sizes every request, grant, want and return, and each node's `SeatDemand` counts its buyers.
/// Links are cut, nodes leave and come back with their demand forgotten, and the demand is skewed
/// and moves. `violations` collects every broken invariant.
final class SeatSimulation {
    /// What a node knows and passes on: another node's allocation row, or its sold count.
    private enum Fact {
        case row(Row)
        case sold(node: Int, count: Int)
    }

    /// A version of a node's allocation row: its owner, its write count, and its seats given in all.
    private struct Row {
        var owner: Int
        var version: Int
        var row: AllocationRow
        var given: Int
    }

    private final class Node {
        let index: Int
        let name: String
        var peers: [Int] = []
        var demand: SeatDemand
        /// Every row this node has seen, by owner, with the owner's write count.
        var rows: [Int: Row] = [:]
        /// What each node sold, as far as this node knows: counts only grow.
        var sold: [Int: Int] = [:]
        var soldKnown = 0
        /// This node's seats as its rows say (`SeatLedger.seats`, kept as rows arrive).
        var seats: Int
        /// Every fact this node made or learned, in order: its changes feed.
        var feed: [Fact] = []
        /// How far this node has read each peer's feed.
        var pulled: [Int: Int] = [:]
        var up = true
        var cut = false
        /// Buyers per second here.
        var buyers = 0.0

        init(index: Int, initial: Int, startedAt: Date) {
            self.index = index
            self.name = "n\(index)"
            self.seats = initial
            self.demand = SeatDemand(startedAt: startedAt)
        }

        var soldHere: Int { sold[index] ?? 0 }
    }

    let seed: UInt64
    let eventId = "e-sim"
    let capacity: Int
    private let initial: [String: Int]
    let idleAfter: TimeInterval
    private let start = Date(timeIntervalSince1970: 1_800_000_000)
    private var random: SeededRandom
    private var nodes: [Node] = []
    private var indexOf: [String: Int] = [:]
    private(set) var tick = 0
    private(set) var violations: [String] = []
    /// Seats moved by requests, wants and returns.
    private(set) var moves = 0
    /// Of those, seats idle nodes gave back.
    private(set) var returned = 0

    var nodeCount: Int { nodes.count }
    var now: Date { start.addingTimeInterval(TimeInterval(tick)) }
    var sold: Int { nodes.reduce(0) { $0 + $1.soldHere } }

    init(seed: UInt64, nodes count: Int) {
        self.seed = seed
        random = SeededRandom(seed: seed)
        capacity = Int.random(in: 200...1_000, using: &random)
        idleAfter = TimeInterval(Int.random(in: 5...30, using: &random))
        // Where the seats start: all at the hub (the event's home), even, or at random nodes.
        var shares = [Int](repeating: 0, count: count)
        switch Int.random(in: 0..<3, using: &random) {
        case 0: shares[0] = capacity
        case 1: for seat in 0..<capacity { shares[seat % count] += 1 }
        default: for _ in 0..<capacity { shares[Int.random(in: 0..<count, using: &random)] += 1 }
        }
        var initial: [String: Int] = [:]
        for (index, seats) in shares.enumerated() where seats > 0 { initial["n\(index)"] = seats }
        self.initial = initial
        for index in 0..<count {
            nodes.append(Node(index: index, initial: shares[index], startedAt: start))
            indexOf["n\(index)"] = index
        }
        // Node 0 is the hub, the event's home. Each other node syncs with one or two earlier nodes:
        // mostly the hub, sometimes another venue (chains, trees).
        for node in nodes.dropFirst() {
            let chained = Double.random(in: 0..<1, using: &random) < 0.3
            node.peers = [chained ? Int.random(in: 0..<node.index, using: &random) : 0]
            if Double.random(in: 0..<1, using: &random) < 0.1, case let other = Int.random(in: 0..<node.index, using: &random),
                !node.peers.contains(other)
            {
                node.peers.append(other)
            }
        }
        // Meshes: some pairs sync from both ends, the hub with a few venues too, so the peers make
        // cycles (as three nodes that each sync with the other two): seats and wants must not go
        // round them for ever.
        for node in nodes.dropFirst() {
            for peer in node.peers where Double.random(in: 0..<1, using: &random) < (peer == 0 ? 0.05 : 0.3) {
                nodes[peer].peers.append(node.index)
            }
        }
    }

    // MARK: Schedule

    /// Demand moves: a random half of the nodes have buyers, with skewed rates adding up to about
    /// `capacity / seconds` seats per second, and at least one buyer every 5 s.
    func shiftDemand(sellingOutIn seconds: Int) {
        let weights = nodes.map { _ in
            Double.random(in: 0..<1, using: &random) < 0.5 ? 0 : 1 / pow(Double.random(in: 0.01..<1, using: &random), 1.5)
        }
        let total = weights.reduce(0, +)
        for (node, weight) in zip(nodes, weights) {
            node.buyers = weight > 0 ? max(0.2, weight / total * Double(capacity) / Double(seconds)) : 0
        }
    }

    /// Partitions: cuts the links of a random share of the nodes (they still sell) and takes a few
    /// down (they stop, and come back with their demand forgotten, as a restarted node does).
    func shiftPartitions() {
        for node in nodes {
            node.cut = Double.random(in: 0..<1, using: &random) < 0.2
            let up = Double.random(in: 0..<1, using: &random) >= 0.08
            if up, !node.up { node.demand = SeatDemand(startedAt: now) }
            node.up = up
        }
    }

    /// Every node up and every link whole.
    func heal() {
        for node in nodes {
            if !node.up { node.demand = SeatDemand(startedAt: now) }
            (node.up, node.cut) = (true, false)
        }
    }

    func stopDemand() {
        for node in nodes { node.buyers = 0 }
    }

    /// One second: the buyers at every node that is up, then every node's syncs with its peers,
    /// both in a random order; then the invariants.
    func step() async {
        tick += 1
        for node in nodes.shuffled(using: &random) where node.up {
            await sell(at: node)
        }
        for node in nodes.shuffled(using: &random) where node.up {
            for peer in node.peers { await sync(node, with: nodes[peer]) }
        }
        check()
    }

    /// Whether every node knows every sale.
    var converged: Bool {
        let total = sold
        return nodes.allSatisfy { $0.soldKnown == total }
    }

    /// Unsold seats held by nodes without buyers.
    var stranded: Int {
        nodes.filter { $0.buyers == 0 }.reduce(0) { $0 + max(0, $1.seats - $1.soldHere) }
    }

    /// Where they are: node (its peers) seats.
    var strandedAt: String {
        nodes.filter { $0.buyers == 0 && $0.seats > $0.soldHere }.map { "\($0.name) (peers \($0.peers)) \($0.seats - $0.soldHere)" }.joined(
            separator: ", "
        )
    }

    // MARK: Selling

    private func remainingHere(_ node: Node) -> Int {
        max(0, min(capacity - node.soldKnown, node.seats - node.soldHere))
    }

    private func sell(at node: Node) async {
        let whole = node.buyers.rounded(.down)
        let arriving = Int(whole) + (Double.random(in: 0..<1, using: &random) < node.buyers - whole ? 1 : 0)
        guard arriving > 0 else { return }
        var soldNow = 0
        for _ in 0..<arriving {
            let quantity = Int.random(in: 1...2, using: &random)
            let available = remainingHere(node) - soldNow
            // Sales pass through the node's demand count, refused or not, as they do at a node.
            let sale = try? await node.demand.noting(eventId, seats: quantity, at: now) {
                // Invariant: a node never sells more than its unsold seats.
                guard quantity <= available else { throw DomainError.notEnoughSeats(requested: quantity, available: available) }
                return quantity
            }
            soldNow += sale ?? 0
        }
        guard soldNow > 0 else { return }
        learn(.sold(node: node.index, count: node.soldHere + soldNow), at: node)
    }

    // MARK: Sync

    private func reachable(_ node: Node, _ peer: Node) -> Bool {
        node.up && peer.up && !node.cut && !peer.cut
    }

    /// A sync run (sync-spec 8): each side reads the other's feed from its checkpoint; then the
    /// node rebalances with the peer, and syncs again at once when seats moved.
    private func sync(_ node: Node, with peer: Node) async {
        guard reachable(node, peer) else { return }
        exchange(node, peer)
        if await rebalance(node, with: peer) { exchange(node, peer) }
    }

    private func exchange(_ node: Node, _ peer: Node) {
        pull(into: node, from: peer)
        pull(into: peer, from: node)
    }

    private func pull(into node: Node, from peer: Node) {
        let from = node.pulled[peer.index] ?? 0
        for fact in peer.feed[from...] { learn(fact, at: node) }
        node.pulled[peer.index] = peer.feed.count
    }

    /// Applies `fact` at `node` if it is news there, and passes it on in the node's feed.
    private func learn(_ fact: Fact, at node: Node) {
        switch fact {
        case let .sold(seller, count):
            let known = node.sold[seller] ?? 0
            guard count > known else { return }
            node.sold[seller] = count
            node.soldKnown += count - known
        case let .row(row):
            let known = node.rows[row.owner]
            guard row.version > known?.version ?? 0 else { return }
            node.rows[row.owner] = row
            if row.owner == node.index {
                node.seats -= row.given - (known?.given ?? 0)
            } else {
                node.seats += row.row.given[node.name, default: 0] - (known?.row.given[node.name] ?? 0)
            }
        }
        node.feed.append(fact)
    }

    /// `giver` gives `seats` of its unsold seats to `taker`: a new version of the giver's own row.
    /// Returns the seats given.
    private func give(_ seats: Int, from giver: Node, to taker: Node) -> Int {
        // Invariant: a node only gives away seats it holds and has not sold.
        let seats = min(seats, remainingHere(giver))
        guard seats > 0 else { return 0 }
        let old = giver.rows[giver.index] ?? Row(owner: giver.index, version: 0, row: AllocationRow(eventId: eventId, node: giver.name), given: 0)
        var row = old
        row.row.given[taker.name, default: 0] += seats
        (row.version, row.given) = (old.version + 1, old.given + seats)
        // Invariant: a row only grows from one version to the next.
        if old.row.given.contains(where: { row.row.given[$0.key, default: 0] < $0.value }) {
            violations.append("tick \(tick): row of \(giver.name) shrank: \(old.row.given) then \(row.row.given)")
        }
        // Only the owner writes its row: it is learned first where it was written.
        learn(.row(row), at: giver)
        moves += seats
        return seats
    }

    /// After a sync of `node` with `peer`, as `SeatService.rebalance` does it: `node` asks `peer`
    /// for seats if it is short, gives `peer` what `peer` wants and `node` can spare, and gives
    /// idle seats back the way they came (`SeatLedger.giveBack`). Returns whether seats moved.
    private func rebalance(_ node: Node, with peer: Node) async -> Bool {
        let date = now
        let wanted = node.demand.wanted(eventId, at: date, excluding: peer.name)
        let here = remainingHere(node)
        let short = SeatLedger.isShort(remainingHere: here, hasDemand: wanted.seatsPerMinute > 0, capacity: capacity)
        var moved = false
        if short, capacity - node.soldKnown > here {
            let request = SeatLedger.request(capacity: capacity, perMinute: wanted.seatsPerMinute)
            moved = grant(request, demand: wanted, hops: node.demand.hops(eventId, at: date, to: peer.name), to: node, by: peer) || moved
        }
        // The peer's want, as `SeatService.wants` tells it to this node.
        let want = peer.demand.want(eventId, spare: remainingHere(peer), at: date, for: node.name)
        var lacking: [String: (seats: Int, hops: Int)] = [:]
        if let want {
            let own = node.demand.rate(of: eventId, at: date).seatsPerMinute
            let seats = SeatLedger.grant(
                requested: want.seats,
                spare: remainingHere(node),
                askerPerMinute: want.demand.seatsPerMinute,
                ownPerMinute: own
            )
            let given = give(seats, from: node, to: peer)
            moved = given > 0 || moved
            lacking[eventId] = (want.seats - given, want.hops)
        }
        node.demand.relay(lacking, for: peer.name, at: date)
        let idle = date.timeIntervalSince(node.demand.lastDemand(for: eventId) ?? node.demand.startedAt) >= idleAfter
        if !short, want == nil, idle {
            let back = SeatLedger.giveBack(
                surplus: SeatLedger.surplus(remainingHere: remainingHere(node), capacity: capacity),
                from: node.name,
                to: peer.name,
                home: nodes[0].name,
                rows: node.rows.values.map(\.row)
            )
            let given = give(back, from: node, to: peer)
            returned += given
            moved = given > 0 || moved
        }
        return moved
    }

    /// `giver` answers `taker`'s seat request, as `SeatService.grant` does.
    private func grant(_ seats: Int, demand: SeatDemandRate, hops: Int, to taker: Node, by giver: Node) -> Bool {
        let date = now
        let own = giver.demand.rate(of: eventId, at: date).seatsPerMinute
        let askers = giver.demand.asked(eventId, by: taker.name, at: date)
        let granted = SeatLedger.grant(
            requested: seats,
            spare: remainingHere(giver),
            askerPerMinute: demand.seatsPerMinute,
            ownPerMinute: own,
            askers: askers
        )
        giver.demand.passOn(eventId, seats: SeatLedger.need(perMinute: demand.seatsPerMinute) - granted, hops: hops, for: taker.name, at: date)
        return give(granted, from: giver, to: taker) > 0
    }

    // MARK: Invariants

    /// The escrow invariants, from every node's own row (the truth) and from each node's view.
    private func check() {
        var received = [Int](repeating: 0, count: nodes.count)
        var given = [Int](repeating: 0, count: nodes.count)
        for node in nodes {
            for (taker, seats) in node.rows[node.index]?.row.given ?? [:] {
                received[indexOf[taker]!] += seats
                given[node.index] += seats
            }
        }
        var total = 0
        for node in nodes {
            let seats = (initial[node.name] ?? 0) + received[node.index] - given[node.index]
            total += seats
            // No node sold or gave away a seat it did not hold.
            if node.soldHere > seats { violations.append("tick \(tick): \(node.name) sold \(node.soldHere) of its \(seats) seats") }
            // Stale rows only lower what a node may sell.
            if node.seats > seats { violations.append("tick \(tick): \(node.name) counts \(node.seats) seats, holds \(seats)") }
        }
        if total != capacity { violations.append("tick \(tick): the nodes hold \(total) seats of \(capacity)") }
        if sold > capacity { violations.append("tick \(tick): \(sold) sold of \(capacity)") }
        if tick % 30 == 0 { checkLedger(received: received, given: given) }
    }

    /// The ledger's own arithmetic over every node's row (`SeatLedger.seats`) agrees with the sums
    /// above (every 30 s: it is the costliest check).
    private func checkLedger(received: [Int], given: [Int]) {
        let rows = nodes.compactMap { $0.rows[$0.index]?.row }
        for node in nodes
        where SeatLedger.seats(of: node.name, initial: initial, rows: rows) != (initial[node.name] ?? 0) + received[node.index] - given[node.index] {
            violations.append("tick \(tick): SeatLedger counts \(node.name) otherwise")
        }
    }
}
