import BoxofficeTestSupport
import Foundation
import Synchronization
import Testing

/// Seats follow the buyers between real nodes that sync continuously with a hub, which has no
/// peers of its own (sync-spec 10.2): idle venues give seats back, and the hub's buyers' demand
/// draws seats from the venues over the venues' own sync connections.
@Suite struct SeatFlowTests {
    /// A hub and two venues syncing with it every 0.2 s, and a 40-seat escrow event made at the
    /// hub with `shares` (hub, a, b) of its seats, known at each venue.
    private func cluster(
        _ temporary: TemporaryDirectory,
        idleAfter: String,
        shares: (hub: Int, a: Int, b: Int)
    ) async throws -> (SyncTests.Node, SyncTests.Node, SyncTests.Node, String) {
        let hub = try await SyncTests.Node(temporary, "hub")
        let venue = ["--peer", hub.url, "--sync-interval", "0.2", "--seat-idle-after", idleAfter]
        let a = try await SyncTests.Node(temporary, "a", arguments: venue)
        let b = try await SyncTests.Node(temporary, "b", arguments: venue)
        var allocations: [String: JSONValue] = [:]
        for (node, seats) in [(hub, shares.hub), (a, shares.a), (b, shares.b)] where seats > 0 {
            allocations[try await node.nodeID()] = .number(Double(seats))
        }
        let event = try await hub.createEvent("Flow", capacity: 40, with: ["allocations": .object(allocations)])
        for venue in [a, b] {
            #expect(try await eventually { try await venue.client.call(.get, "/events/\(event)").status == .ok })
        }
        return (hub, a, b, event)
    }

    private func remainingHere(_ node: SyncTests.Node, _ event: String) async throws -> Int? {
        try await node.client.call(.get, "/events/\(event)").body["remainingHere"]?.int
    }

    @Test func seatsGoWhereBuyersAreAndComeBackWhenTheyAreGone() async throws {
        let temporary = TemporaryDirectory("seats-back")
        defer { temporary.remove() }
        let (hub, a, b, event) = try await cluster(temporary, idleAfter: "1", shares: (hub: 20, a: 0, b: 20))
        defer { for node in [hub, a, b] { node.running.stop() } }
        // A's walk-in buyers are turned away until A's demand draws seats from the hub. (Two
        // seats: what A keeps even when it gives the rest back between two tries of a slow buyer.)
        let sale: JSONValue = ["eventId": .string(event), "quantity": 2]
        #expect(try await eventually { try await a.client.call(.post, "/tickets", token: a.organizer, json: sale).status == .created })
        // A second without demand, each venue gives back what it holds beyond lowWater (2 of 40):
        // B its share (the hub is the event's home), A what the hub gave it and it did not sell.
        // (What the hub's wants drew from B meanwhile may leave B less.) Every node counts the
        // same: 2 sold, 38 left, and no seat twice.
        #expect(
            try await eventually {
                var here: [Int] = []
                for node in [hub, a, b] {
                    let shown = try await node.client.call(.get, "/events/\(event)").body
                    guard shown["sold"] == 2, shown["remaining"] == 38, let seats = shown["remainingHere"]?.int else { return false }
                    here.append(seats)
                }
                return here[0] >= 34 && here[1] <= 2 && here[2] <= 2 && here.reduce(0, +) == 38
            }
        )
    }

    @Test func aHubWithoutPeersGetsTheSeatsItsBuyersWantFromVenuesThatSyncWithIt() async throws {
        let temporary = TemporaryDirectory("seat-wants")
        defer { temporary.remove() }
        // Seats never go back for idleness here: only the hub's wants can move them.
        let (hub, a, b, event) = try await cluster(temporary, idleAfter: "3600", shares: (hub: 0, a: 20, b: 20))
        defer { for node in [hub, a, b] { node.running.stop() } }
        let sale: JSONValue = ["eventId": .string(event), "quantity": 4]
        #expect(try await hub.client.call(.post, "/tickets", token: hub.organizer, json: sale).status == .conflict, "the hub holds no seat yet")
        // 4 seats refused are what the hub lacks: the venues, with no demand of their own, give them.
        #expect(try await eventually { try await remainingHere(hub, event) ?? 0 >= 4 })
        #expect(try await hub.client.call(.post, "/tickets", token: hub.organizer, json: sale).status == .created)
        // However the seats moved, every node counts the same and no seat twice.
        #expect(
            try await eventually {
                var total = 0
                for node in [hub, a, b] {
                    let shown = try await node.client.call(.get, "/events/\(event)").body
                    guard shown["sold"] == 4, shown["remaining"] == 36, let here = shown["remainingHere"]?.int else { return false }
                    total += here
                }
                return total == 36
            }
        )
    }

    /// A hub holding all 100 seats of an event and 20 venues that sync with it every 0.5 s, each
    /// with a walk-in buyer who buys one seat at a time: the venues' demand draws the seats out,
    /// the buyers get all 100 and not one more, and every node ends up counting the same.
    @Test func twentyVenuesSellOutTheHubsSeatsAndNotOneMore() async throws {
        let temporary = TemporaryDirectory("twenty-venues")
        defer { temporary.remove() }
        let hub = try await SyncTests.Node(temporary, "hub")
        // The venues sell as the hub's organizer (its token is good wherever the hub is on the
        // roster): twenty more password hashes would only load the machine.
        let arguments = ["--peer", hub.url, "--sync-interval", "0.5", "--seat-idle-after", "5"]
        var venues: [RunningNode] = []
        for index in 1...20 {
            venues.append(try RunningNode(data: temporary.file("venue-\(index)"), secret: SyncTests.secret, extraArguments: arguments))
        }
        defer {
            hub.running.stop()
            for venue in venues { venue.stop() }
        }
        let event = try await hub.createEvent("Twenty", capacity: 100)
        let sold = Tally()
        let token = hub.organizer
        try await withThrowingTaskGroup(of: Void.self) { group in
            for venue in venues.map({ HTTPTestClient(port: $0.port) }) {
                group.addTask {
                    #expect(try await eventually { try await venue.call(.get, "/events/\(event)").status == .ok })
                    let deadline = Date().addingTimeInterval(120)
                    while sold.count < 100, Date() < deadline {
                        let sale = try await venue.call(.post, "/tickets", token: token, json: ["eventId": .string(event), "quantity": 1])
                        if sale.status == .created {
                            sold.add()
                        } else {
                            #expect(sale.status == .conflict, "\(sale.body)")
                            // A walk-in buyer turned away comes back a moment later.
                            try await Task.sleep(for: .milliseconds(200))
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        // Invariant under test: the buyers got every seat, and not one seat more.
        #expect(sold.count == 100)
        for port in [hub.running.port] + venues.map(\.port) {
            #expect(
                try await eventually {
                    let shown = try await HTTPTestClient(port: port).call(.get, "/events/\(event)").body
                    return shown["sold"] == 100 && shown["remaining"] == 0 && shown["remainingHere"] == 0
                }
            )
        }
        let tickets = try await hub.client.call(.get, "/tickets/\(event)?limit=1", token: hub.organizer)
        #expect(tickets.body["total"] == 100)
    }

    /// A venue loses the hub and keeps selling its own seats. At the hub its unsold seats show as
    /// stranded (organizer page, /metrics) and, once the organizer reclaims them, the hub sells
    /// them. When the venue comes back, the sales it made offline are oversold at every node.
    @Test func aDeadVenuesSeatsAreReclaimedAndWhatItSoldOfflineIsOversold() async throws {
        let temporary = TemporaryDirectory("reclaim")
        defer { temporary.remove() }
        let hub = try await SyncTests.Node(temporary, "hub", arguments: ["--offline-after", "2"])
        let wire = try TCPProxy()
        wire.forward(to: hub.running.port)
        defer { wire.close() }
        // The venue keeps its seats however long the test takes: only the reclaim moves them.
        let venue = try await SyncTests.Node(
            temporary,
            "venue",
            arguments: ["--peer", wire.url, "--sync-interval", "0.2", "--seat-idle-after", "3600"]
        )
        defer { for node in [hub, venue] { node.running.stop() } }
        let (hubID, venueID) = (try await hub.nodeID(), try await venue.nodeID())
        let event = try await hub.createEvent("Reclaim", capacity: 10, with: ["allocations": [hubID: 4, venueID: 6]])
        let sale: JSONValue = ["eventId": .string(event), "quantity": 1]
        #expect(try await eventually { try await venue.client.call(.get, "/events/\(event)").status == .ok })
        for _ in 0..<2 { #expect(try await venue.client.call(.post, "/tickets", token: venue.organizer, json: sale).status == .created) }
        #expect(try await eventually { try await hub.client.call(.get, "/events/\(event)").body["sold"] == 2 })
        let reclaim: JSONValue = ["node": .string(venueID)]
        let early = try await hub.client.call(.post, "/events/\(event)/allocations/reclaim", token: hub.organizer, json: reclaim)
        #expect(early.status == .conflict, "a venue that syncs is not reclaimed: \(early.body)")

        wire.cut()
        for _ in 0..<3 { #expect(try await venue.client.call(.post, "/tickets", token: venue.organizer, json: sale).status == .created) }
        // The hub saw 2 of the venue's 6 seats sold: 4 are stranded until it returns.
        #expect(
            try await eventually {
                try await hub.client.raw(.get, "/metrics").contains("boxoffice_seats_stranded{event=\"\(event)\",node=\"\(venueID)\"} 4")
            }
        )
        let page = try await hub.client.raw(.get, "/web/organizer/events/\(event)", session: hub.organizer)
        #expect(page.contains("4 seats stranded offline since") && page.contains("Reclaim 4 seats") && page.contains("becomes oversold"), "\(page)")
        let reclaimed = try await hub.client.call(.post, "/events/\(event)/allocations/reclaim", token: hub.organizer, json: reclaim)
        #expect(reclaimed.status == .ok && reclaimed.body["seats"] == 4, "\(reclaimed.body)")
        #expect(
            try await hub.client.call(.post, "/tickets", token: hub.organizer, json: ["eventId": .string(event), "quantity": 8]).status == .created
        )
        #expect(!(try await hub.client.raw(.get, "/metrics").contains("node=\"\(venueID)\"")))

        // Back online, the venue's three offline sales are past the 2 seats it kept: oversold
        // everywhere, and the venue sells no more.
        wire.restore()
        for node in [hub, venue] {
            #expect(
                try await eventually {
                    let tickets = try await node.client.call(.get, "/tickets/\(event)?limit=100", token: node.organizer).body["tickets"]?.array ?? []
                    let shown = try await node.client.call(.get, "/events/\(event)").body
                    return tickets.filter { $0["status"] == "oversold" }.count == 3 && shown["sold"] == 10 && shown["remainingHere"] == 0
                }
            )
        }
        let conflicts = try await venue.client.call(.get, "/conflicts.json", token: venue.organizer).body
        #expect("\(conflicts)".contains("reclaimed from \(venueID)"), "\(conflicts)")
    }

    /// Tickets sold, counted by the buyers of every venue at once.
    private final class Tally: Sendable {
        private let sold = Mutex(0)
        var count: Int { sold.withLock { $0 } }
        func add() { sold.withLock { $0 += 1 } }
    }
}
