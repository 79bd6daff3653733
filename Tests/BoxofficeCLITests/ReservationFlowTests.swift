import BoxofficeTestSupport
import Foundation
import Testing

/// Seat holds against a real `boxoffice serve` process, over real HTTP.
@Suite struct ReservationFlowTests {
    /// A node with an organizer (made with the CLI) and one event of `capacity` seats.
    private struct Venue {
        let temporary = TemporaryDirectory("holds")
        let data: String
        var node: RunningNode
        var client: HTTPTestClient
        var organizer = ""
        var event = ""

        init(capacity: Int) async throws {
            data = temporary.file("node")
            let add = try ChildProcess(
                "boxoffice",
                ["user", "add", "--data", data, "--email", "olga@venue.test", "--name", "Olga", "--password", "organizer-pw", "--role", "organizer"]
            )
            #expect(add.waitForExit() == 0, "user add failed: \(add.standardError)")
            node = try RunningNode(data: data)
            client = HTTPTestClient(port: node.port)
            organizer = try #require(
                try await client.call(.post, "/users/login", json: ["email": "olga@venue.test", "password": "organizer-pw"]).body["token"]?.string
            )
            event = try #require(
                try await client.call(
                    .post,
                    "/events",
                    token: organizer,
                    json: [
                        "name": "Small Room", "date": "2031-03-01T19:30:00Z", "location": "Studio", "capacity": .number(Double(capacity)),
                        "price": 10,
                        "currency": "EUR",
                    ]
                ).body["id"]?.string
            )
        }
    }

    @Test func twoHundredBuyersRaceToHoldFiftySeats() async throws {
        let venue = try await Venue(capacity: 50)
        defer {
            #expect(venue.node.stop() == 0)
            venue.temporary.remove()
        }
        let (client, event) = (venue.client, venue.event)
        var tokens: [String] = []
        for n in 0..<10 {
            let registered = try await client.call(
                .post,
                "/users/register",
                json: ["name": "Buyer \(n)", "email": "buyer\(n)@example.com", "password": "buyer-password"]
            )
            tokens.append(try #require(registered.body["token"]?.string))
        }
        let seats = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for buyer in 0..<200 {
                let token = tokens[buyer % tokens.count]
                group.addTask {
                    let reply = try await client.call(.post, "/reservations", token: token, json: ["eventId": .string(event), "quantity": 1])
                    return (reply.status.code, reply.body["seats"]?.int ?? 0)
                }
            }
            return try await group.reduce(into: [(Int, Int)]()) { $0.append($1) }
        }
        #expect(seats.count { $0.0 == 201 } == 50)
        #expect(seats.count { $0.0 == 409 } == 150)
        #expect(seats.reduce(0) { $0 + $1.1 } == 50)
        let after = try await client.call(.get, "/events/\(event)")
        #expect(after.body["held"] == 50)
        #expect(after.body["remaining"] == 0)
        #expect(try await client.call(.post, "/tickets", token: tokens[0], json: ["eventId": .string(event), "quantity": 1]).status == .conflict)
    }

    @Test func anOpenHoldSurvivesARestartAndConfirmsAfterIt() async throws {
        var venue = try await Venue(capacity: 10)
        defer { venue.temporary.remove() }
        let hold = try await venue.client.call(
            .post,
            "/reservations",
            token: venue.organizer,
            json: ["eventId": .string(venue.event), "quantity": 4]
        )
        #expect(hold.status == .created)
        let holdID = try #require(hold.body["id"]?.string)
        venue.node.process.kill(SIGKILL)
        venue.node.process.waitForExit()

        venue.node = try RunningNode(data: venue.data)
        defer { #expect(venue.node.stop() == 0) }
        venue.client = HTTPTestClient(port: venue.node.port)
        let during = try await venue.client.call(.get, "/events/\(venue.event)")
        #expect(during.body["held"] == 4)
        #expect(during.body["remaining"] == 6)
        let confirmed = try await venue.client.call(.post, "/reservations/\(holdID)/confirm", token: venue.organizer)
        #expect(confirmed.status == .created)
        #expect(confirmed.body["tickets"]?.array?.count == 4)
        let after = try await venue.client.call(.get, "/events/\(venue.event)")
        #expect(after.body["sold"] == 4)
        #expect(after.body["held"] == 0)
    }
}
