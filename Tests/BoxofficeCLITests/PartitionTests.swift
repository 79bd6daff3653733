import BoxofficeTestSupport
import Foundation
import Testing

/// Three real `boxoffice serve` nodes sync continuously (real libcurl) through links that the test
/// cuts and restores on a seeded random schedule, while buyers hammer all three. Replay a failure
/// with the seed it prints (BOXOFFICE_TEST_SEED); run longer with BOXOFFICE_SOAK_SECONDS.
@Suite struct PartitionTests {
    static let chaosSeconds = ProcessInfo.processInfo.environment["BOXOFFICE_SOAK_SECONDS"].flatMap(Double.init) ?? 15
    static let capacity = 100

    /// Every sale a buyer was told about (201), by event.
    actor Ledger {
        private(set) var sold: [String: [String]] = [:]
        private(set) var soldBy: [String: Set<Int>] = [:]

        func record(_ ticketIds: [String], event: String, node: Int) {
            sold[event, default: []] += ticketIds
            soldBy[event, default: []].insert(node)
        }
    }

    /// The link from node `i` to node `j` (its `--peer`) is `proxies[i][j]`.
    struct Cluster {
        let nodes: [SyncTests.Node]
        let proxies: [[TCPProxy?]]

        func set(_ i: Int, _ j: Int, open: Bool) {
            for proxy in [proxies[i][j], proxies[j][i]] { open ? proxy?.restore() : proxy?.cut() }
        }

        func setAll(open: Bool) {
            for i in 0..<3 { for j in 0..<3 where i != j { set(i, j, open: open) } }
        }

        func stop() {
            for node in nodes { node.running.stop() }
            for row in proxies { for proxy in row { proxy?.close() } }
        }
    }

    @Test func threeNodesSellingThroughPartitionsConvergeAndNeverLoseOrSilentlyOversell() async throws {
        let seed = SeededRandom().seed
        print("partition test: seed \(seed) (replay with BOXOFFICE_TEST_SEED=\(seed)), \(Self.chaosSeconds) s of cuts")
        var random = SeededRandom(seed: seed)
        let temporary = TemporaryDirectory("partition")
        defer { temporary.remove() }

        let proxies = try (0..<3).map { i in try (0..<3).map { j in i == j ? nil : try TCPProxy() } }
        var started: [SyncTests.Node] = []
        for (i, name) in ["a", "b", "c"].enumerated() {
            let peers = (0..<3).filter { $0 != i }.flatMap { ["--peer", proxies[i][$0]!.url] }
            started.append(try await SyncTests.Node(temporary, name, arguments: peers + ["--sync-interval", "0.2"]))
        }
        let nodes = started
        let cluster = Cluster(nodes: nodes, proxies: proxies)
        defer { cluster.stop() }
        for i in 0..<3 { for j in 0..<3 where i != j { proxies[i][j]!.forward(to: nodes[j].running.port) } }

        // Both events start at node a: every escrow seat is a's, and a has no escrow buyers, so every
        // escrow seat sold is one that rebalancing moved to b or c.
        let escrow = try await nodes[0].createEvent("Escrow night", capacity: Self.capacity)
        let overbooked = try await nodes[0].createEvent("Overbook night", capacity: Self.capacity, with: ["salesPolicy": "overbook"])
        var registered: [(token: String, id: String)] = []
        for (i, node) in nodes.enumerated() {
            let reply = try await node.client.call(
                .post,
                "/users/register",
                json: ["name": "Buyer \(i)", "email": "buyer\(i)@venue.test", "password": "buyer-password"]
            )
            registered.append((try #require(reply.body["token"]?.string), try #require(reply.body["user.id"]?.string)))
        }
        let buyers = registered
        #expect(
            try await eventually(within: 30) {
                for node in nodes {
                    for event in [escrow, overbooked] where try await node.client.call(.get, "/events/\(event)").status != .ok { return false }
                }
                return true
            },
            "the events never reached every node"
        )

        // Apart, every node sells 40 overbook seats: 120 sales for 100 seats.
        cluster.setAll(open: false)
        let ledger = Ledger()
        for (i, node) in nodes.enumerated() {
            for _ in 0..<4 {
                let sale = try await node.client.call(
                    .post,
                    "/tickets",
                    token: buyers[i].token,
                    json: ["eventId": .string(overbooked), "quantity": 10]
                )
                #expect(sale.status == .created, "\(sale.body)")
                await ledger.record(Self.ticketIds(sale), event: overbooked, node: i)
            }
        }

        // Buyers keep buying everywhere while links go down and up.
        let buying = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<3 {
                    for event in i == 0 ? [overbooked] : [escrow, overbooked] {
                        let paceSeed = seed &+ UInt64(i * 2 + (event == escrow ? 1 : 2))
                        group.addTask {
                            var pace = SeededRandom(seed: paceSeed)
                            while !Task.isCancelled {
                                let quantity = Int.random(in: 1...2, using: &pace)
                                let sale = try await nodes[i].client.call(
                                    .post,
                                    "/tickets",
                                    token: buyers[i].token,
                                    json: ["eventId": .string(event), "quantity": .number(Double(quantity))]
                                )
                                if sale.status == .created { await ledger.record(Self.ticketIds(sale), event: event, node: i) }
                                try? await Task.sleep(for: .milliseconds(Int.random(in: 60...200, using: &pace)))
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        defer { buying.cancel() }

        var mostLiveSeen = 0
        let end = Date().addingTimeInterval(Self.chaosSeconds)
        while Date() < end {
            let (i, j) = [(0, 1), (0, 2), (1, 2)].randomElement(using: &random)!
            cluster.set(i, j, open: Bool.random(using: &random))
            let pause = Date().addingTimeInterval(Double.random(in: 0.3...0.9, using: &random))
            while Date() < pause {
                // Escrow: no moment at which any node's view holds more live tickets than seats.
                for node in nodes { mostLiveSeen = max(mostLiveSeen, try await Self.tickets(of: escrow, at: node).filter { $0 == "valid" }.count) }
            }
        }
        cluster.setAll(open: true)
        let soldOut = try await eventually(within: 60) {
            for node in nodes where try await node.client.call(.get, "/events/\(escrow)").body["remaining"]?.int != 0 { return false }
            return true
        }
        #expect(soldOut, "escrow seats left unsold although buyers wanted them")
        buying.cancel()
        _ = await buying.result

        let converged = try await eventually(within: 60) {
            let first = try await nodes[0].documents()
            for node in nodes.dropFirst() where try await node.documents() != first { return false }
            return true
        }
        #expect(converged, "the nodes never converged")
        if !soldOut || !converged { try await Self.describe(nodes, event: escrow) }

        let documents = try await nodes[0].documents()
        let (sold, soldBy) = (await ledger.sold, await ledger.soldBy)
        // No acknowledged purchase is missing anywhere (the nodes hold identical documents).
        for ticket in (sold[escrow] ?? []) + (sold[overbooked] ?? []) { #expect(documents["tickets/\(ticket)"] != nil, "sale \(ticket) lost") }

        #expect(mostLiveSeen <= Self.capacity, "a node saw \(mostLiveSeen) live escrow tickets")
        #expect(sold[escrow]?.count == Self.capacity, "sold \(sold[escrow]?.count ?? 0) escrow tickets")
        #expect(soldBy[escrow]?.isSubset(of: [1, 2]) == true, "escrow sold by \(soldBy[escrow] ?? [])")

        let overbookSold = sold[overbooked]?.count ?? 0
        #expect(overbookSold > Self.capacity)
        for node in nodes {
            let statuses = try await Self.tickets(of: overbooked, at: node)
            #expect(statuses.filter { $0 == "valid" }.count == Self.capacity)
            #expect(statuses.filter { $0 == "oversold" }.count == overbookSold - Self.capacity)
            let shown = try await node.client.call(.get, "/events/\(overbooked)")
            #expect(shown.body["sold"]?.int == Self.capacity && shown.body["remaining"] == 0)
            let records = try await node.client.call(.get, "/conflicts.json?kind=oversold&eventId=\(overbooked)&limit=200", token: node.organizer)
            #expect(records.body["total"]?.int == overbookSold - Self.capacity, "\(records.body["total"] ?? .null)")
            #expect(records.body["conflicts"]?.array?.count == overbookSold - Self.capacity)
            for record in records.body["conflicts"]?.array ?? [] {
                let sentence = record["sentence"]?.string ?? ""
                #expect(sentence.contains(" sold a seat of ") && sentence.contains("'s ticket is void; refund "), "\(sentence)")
                #expect(record["action"] == "refund")
            }
        }
        var told = 0
        for buyer in buyers {
            let list = try await nodes[0].client.call(.get, "/notifications/\(buyer.id)", token: buyer.token)
            told += list.body["notifications"]?.array?.filter { $0["kind"] == "ticketOversold" }.count ?? 0
        }
        #expect(told == overbookSold - Self.capacity, "\(told) oversold notifications")

        // Staff pay an oversold buyer back: the refund is recorded on the ticket, where the
        // settlement counts it; the buyer cannot do it themselves.
        let oversoldTicket = try #require(
            try await nodes[0].client.call(.get, "/conflicts.json?kind=oversold&eventId=\(overbooked)&limit=1", token: nodes[0].organizer)
                .body["conflicts"]?.array?.first?["documentId"]?.string
        )
        let refund = try await nodes[0].client.call(.post, "/tickets/\(oversoldTicket)/cancel", token: nodes[0].organizer)
        #expect(refund.status == .ok && refund.body["status"] == "cancelled" && refund.body["refundMethod"] == "online", "\(refund.body)")
        #expect(try await nodes[0].client.call(.post, "/tickets/\(oversoldTicket)/cancel", token: nodes[0].organizer).status == .conflict)
    }

    /// What a failed run needs to be understood: each node's view of the escrow event, its
    /// peers' sync status, and the end of its log.
    private static func describe(_ nodes: [SyncTests.Node], event: String) async throws {
        for (i, node) in nodes.enumerated() {
            let view = try await node.client.call(.get, "/events/\(event)").body
            let status = try await node.client.call(.get, "/sync/status", token: node.organizer).body
            let log = node.running.process.standardError.split(separator: "\n").suffix(60).joined(separator: "\n")
            print("node \(i): event \(view)\nsync status \(status)\nlog:\n\(log)")
        }
    }

    private static func ticketIds(_ sale: HTTPTestClient.Reply) -> [String] {
        sale.body["tickets"]?.array?.compactMap { $0["id"]?.string } ?? []
    }

    /// The status of every ticket of `event` as `node` sees it, page after page.
    private static func tickets(of event: String, at node: SyncTests.Node) async throws -> [String] {
        var statuses: [String] = []
        var cursor: String? = ""
        while let after = cursor {
            let listing = try await node.client.call(.get, "/tickets/\(event)?limit=1000&cursor=\(after)", token: node.organizer)
            statuses += listing.body["tickets"]?.array?.compactMap { $0["status"]?.string } ?? []
            cursor = listing.body["nextCursor"]?.string
        }
        return statuses
    }
}
