import BoxofficeTestSupport
import Foundation
import Testing

/// The seed system's flow against a real `boxoffice serve` process, over real HTTP.
@Suite struct VenueFlowTests {
    /// Creates an organizer with the CLI, starts a node, and runs `body` with a client for it.
    private func withNode(_ body: (HTTPTestClient, String) async throws -> Void) async throws {
        let temporary = TemporaryDirectory("flow")
        defer { temporary.remove() }
        let data = temporary.file("node")
        let add = try ChildProcess(
            "boxoffice",
            [
                "user", "add", "--data", data, "--node-id", "venue-a", "--email", "olga@venue.test", "--name", "Olga", "--password", "organizer-pw",
                "--role", "organizer",
            ]
        )
        #expect(add.waitForExit() == 0, "user add failed: \(add.standardError)")
        #expect(add.standardOutput.contains("on node venue-a"), "user add names the directory's node: \(add.standardOutput)")
        let node = try RunningNode(data: data, nodeID: "venue-a")
        defer { #expect(node.stop() == 0) }
        let client = HTTPTestClient(port: node.port)
        let organizer = try await client.call(.post, "/users/login", json: ["email": "olga@venue.test", "password": "organizer-pw"])
        try await body(client, try #require(organizer.body["token"]?.string))
    }

    @Test func registerLoginCreateBuyListProfileNotifications() async throws {
        try await withNode { client, organizer in
            let registered = try await client.call(
                .post,
                "/api/users/register",
                json: ["name": "Ada", "email": "ada@example.com", "password": "analytical"]
            )
            #expect(registered.status == .created)
            let login = try await client.call(.post, "/users/login", json: ["email": "ada@example.com", "password": "analytical"])
            let ada = try #require(login.body["token"]?.string)
            let adaID = try #require(login.body["user.id"]?.string)

            let event = try await client.call(
                .post,
                "/events",
                token: organizer,
                json: [
                    "name": "Opening Night", "date": "2031-03-01T19:30:00Z", "location": "Main Hall", "capacity": 100, "price": 30, "currency": "EUR",
                ]
            )
            #expect(event.status == .created)
            let eventID = try #require(event.body["id"]?.string)

            let sale = try await client.call(.post, "/tickets", token: ada, json: ["eventId": .string(eventID), "quantity": 2])
            #expect(sale.status == .created)
            let listed = try await client.call(.get, "/events")
            let shown = listed.body["events"]?.array?.first { $0["id"]?.string == eventID }
            #expect(shown?["sold"] == 2)
            #expect(try await client.call(.get, "/tickets/\(eventID)", token: ada).body["tickets"]?.array?.count == 2)

            let profile = try await client.call(.get, "/users/profile", token: ada)
            #expect(profile.body["tickets"]?.array?.count == 2)
            #expect(profile.body["unreadNotifications"] == 1)
            let inbox = try await client.call(.get, "/notifications/\(adaID)", token: ada)
            #expect(inbox.body["notifications[0].kind"] == "ticketPurchased")
        }
    }

    @Test func twoHundredBuyersRaceForFiftySeatsAndNoneIsOversold() async throws {
        try await withNode { client, organizer in
            let event = try await client.call(
                .post,
                "/events",
                token: organizer,
                json: ["name": "Small Room", "date": "2031-03-01T19:30:00Z", "location": "Studio", "capacity": 50, "price": 10, "currency": "EUR"]
            )
            let eventID = try #require(event.body["id"]?.string)
            // Ten accounts, twenty concurrent purchases each: 200 buyers at once.
            var tokens: [String] = []
            for n in 0..<10 {
                let registered = try await client.call(
                    .post,
                    "/users/register",
                    json: ["name": "Buyer \(n)", "email": "buyer\(n)@example.com", "password": "buyer-password"]
                )
                tokens.append(try #require(registered.body["token"]?.string))
            }
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for buyer in 0..<200 {
                    let token = tokens[buyer % tokens.count]
                    group.addTask {
                        try await client.call(.post, "/tickets", token: token, json: ["eventId": .string(eventID), "quantity": 1]).status.code
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.count { $0 == 201 } == 50)
            #expect(statuses.count { $0 == 409 } == 150)
            let after = try await client.call(.get, "/events/\(eventID)")
            #expect(after.body["sold"] == 50)
            #expect(after.body["remaining"] == 0)
            #expect(try await client.call(.get, "/tickets/\(eventID)", token: organizer).body["tickets"]?.array?.count == 50)
        }
    }

    @Test func aSaleAcknowledgedBeforeSIGKILLIsThereAfterRestart() async throws {
        let temporary = TemporaryDirectory("durable")
        defer { temporary.remove() }
        let data = temporary.file("node")
        let add = try ChildProcess(
            "boxoffice",
            ["user", "add", "--data", data, "--email", "olga@venue.test", "--name", "Olga", "--password", "organizer-pw", "--role", "organizer"]
        )
        #expect(add.waitForExit() == 0)
        let node = try RunningNode(data: data)
        var client = HTTPTestClient(port: node.port)
        let organizer = try #require(
            try await client.call(.post, "/users/login", json: ["email": "olga@venue.test", "password": "organizer-pw"]).body["token"]?.string
        )
        let eventID = try #require(
            try await client.call(
                .post,
                "/events",
                token: organizer,
                json: ["name": "Gig", "date": "2031-01-01T20:00:00Z", "location": "Club", "capacity": 10, "price": 5, "currency": "EUR"]
            ).body["id"]?.string
        )
        let sale = try await client.call(.post, "/tickets", token: organizer, json: ["eventId": .string(eventID), "quantity": 3])
        #expect(sale.status == .created)
        node.process.kill(SIGKILL)
        node.process.waitForExit()

        let restarted = try RunningNode(data: data)
        defer { restarted.stop() }
        client = HTTPTestClient(port: restarted.port)
        #expect(try await client.call(.get, "/events/\(eventID)").body["sold"] == 3)
    }
}
