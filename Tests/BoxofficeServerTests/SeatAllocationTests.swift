import BoxofficeSync
import BoxofficeTestSupport
import BoxofficeVenue
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite struct SeatAllocationTests {
    @Test func aNodeSellsOnlyFromItsOwnAllocationAndCanGiveSeatsAway() async throws {
        try await TestNode.run { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let created = try await client.call(
                .post,
                "/events",
                token: organizer,
                json: [
                    "name": "Split", "date": "2031-01-01T20:00:00Z", "location": "Hall", "capacity": 10, "price": 5, "currency": "EUR",
                    "allocations": ["venue-a": 4, "venue-b": 6],
                ]
            )
            #expect(created.status == .created)
            #expect(created.body["remainingHere"] == 4 && created.body["remaining"] == 10)
            let event = try #require(created.body["id"]?.string)

            let tooMany = try await client.call(.post, "/tickets", token: organizer, json: ["eventId": .string(event), "quantity": 5])
            #expect(tooMany.status == .conflict)
            #expect(tooMany.body["available"] == 4)
            #expect(try await client.call(.post, "/tickets", token: organizer, json: ["eventId": .string(event), "quantity": 3]).status == .created)

            let given = try await client.call(.post, "/events/\(event)/allocations/transfer", token: organizer, json: ["to": "venue-b", "seats": 1])
            #expect(given.status == .ok)
            #expect(given.body["remainingHere"] == 0)
            #expect(
                try await client.call(.post, "/events/\(event)/allocations/transfer", token: organizer, json: ["to": "venue-b", "seats": 1]).status
                    == .conflict
            )
            #expect(
                try await client.call(.post, "/events/\(event)/allocations/transfer", token: organizer, json: ["to": "venue-a", "seats": 1]).status
                    == .conflict,
                "a transfer to itself is refused by the state, not the schema"
            )
            let shown = try await client.call(.get, "/events/\(event)")
            #expect(shown.body["sold"] == 3 && shown.body["remaining"] == 7 && shown.body["remainingHere"] == 0)
            #expect(try await client.call(.post, "/tickets", token: organizer, json: ["eventId": .string(event), "quantity": 1]).status == .conflict)
        }
    }

    @Test func splitsMustAddUpAndOverbookSellsPastTheAllocation() async throws {
        try await TestNode.run { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            var event: [String: JSONValue] = [
                "name": "X", "date": "2031-01-01T20:00:00Z", "location": "Y", "capacity": 10, "price": 1, "currency": "EUR",
                "allocations": ["venue-a": 4, "venue-b": 5],
            ]
            #expect(try await client.call(.post, "/events", token: organizer, json: .object(event)).body["field"] == "allocations")
            event["allocations"] = ["venue-a": 2, "venue-b": 8]
            event["salesPolicy"] = "overbook"
            let created = try await client.call(.post, "/events", token: organizer, json: .object(event))
            let id = try #require(created.body["id"]?.string)
            #expect(created.body["remainingHere"] == 10)
            #expect(try await client.call(.post, "/tickets", token: organizer, json: ["eventId": .string(id), "quantity": 6]).status == .created)
            #expect(
                try await client.call(.post, "/events/\(id)/allocations/transfer", token: organizer, json: ["to": "venue-b", "seats": 1]).status
                    == .conflict
            )
        }
    }

    /// A peer short of seats asks (`POST /sync/seat-requests`); an idle node gives half its spare,
    /// capped at the request, and the gift is its own allocation row.
    @Test func aPeerShortOfSeatsIsGivenPartOfTheSpare() async throws {
        try await TestNode.run { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let event = try await client.createEvent(token: organizer, capacity: 40)
            let asked = try await client.call(.post, "/sync/seat-requests", json: ["eventId": .string(event), "seats": 4], signedBy: TestNode.peer)
            #expect(asked.status == .ok && asked.body["granted"] == 4, "\(asked.body)")
            #expect(try await client.call(.get, "/events/\(event)").body["remainingHere"] == 36)
            let feed = try await client.call(.get, "/sync/changes?since=0", signedBy: TestNode.peer)
            let row = feed.body["versions"]?.array?.first { $0["collection"] == "allocations" }
            #expect(row?["body.given"] == ["venue-b": 4], "the gift is not in the changes feed")

            // Not signed by a node (a person's token), or for an unknown event: refused.
            #expect(
                try await client.call(.post, "/sync/seat-requests", token: organizer, json: ["eventId": .string(event), "seats": 4]).status
                    == .unauthorized
            )
            #expect(
                try await client.call(.post, "/sync/seat-requests", json: ["eventId": "e-nope", "seats": 4], signedBy: TestNode.peer).status
                    == .notFound
            )
            #expect(
                try await client.call(.post, "/sync/seat-requests", json: ["eventId": .string(event)], signedBy: TestNode.peer).status == .badRequest
            )
            for hops in [-1, 1_001] {
                let refused = try await client.call(
                    .post,
                    "/sync/seat-requests",
                    json: ["eventId": .string(event), "seats": 1, "hops": .number(Double(hops))],
                    signedBy: TestNode.peer
                )
                #expect(refused.status == .badRequest, "hops \(hops): \(refused.body)")
            }
        }
    }

    /// A request that carries the asker's demand is granted what that demand needs; what the node
    /// could not give is demand passed on, never told back to the asker.
    @Test func aRequestWithDemandIsGrantedItsNeedAndTheRestIsPassedOn() async throws {
        let demand = SeatDemand()
        try await TestNode.run(demand: demand) { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let event = try await client.createEvent(token: organizer, capacity: 40)
            #expect(try await client.call(.get, "/sync/seat-wants", signedBy: TestNode.peer).body["wants"] == [])
            let rate: JSONValue = ["sold": 0, "refused": 360, "held": 0]
            let asked = try await client.call(
                .post,
                "/sync/seat-requests",
                json: ["eventId": .string(event), "seats": 60, "demand": rate],
                signedBy: TestNode.peer
            )
            // 360 seats a minute need 60 over the 10-second horizon; this node holds 40 and no demand of its own.
            #expect(asked.status == .ok && asked.body["granted"] == 40, "\(asked.body)")
            // The 20 it could not give are demand passed on: 20 seats in 10 s, 120 a minute, which
            // this node wants of its other peers; the asker is not asked for its own demand back.
            #expect(demand.wanted(at: Date()) == [event: SeatDemandRate(refused: 120)])
            #expect(demand.wanted(at: Date(), excluding: TestNode.peer.nodeID).isEmpty)
            let wants = try await client.call(.get, "/sync/seat-wants", signedBy: TestNode.peer)
            #expect(wants.status == .ok && wants.body["wants"] == [], "\(wants.body)")
            // The same wants ride on /sync/info, which begins every sync run.
            #expect(try await client.call(.get, "/sync/info", signedBy: TestNode.peer).body["seatWants"] == wants.body["wants"])
            let bad: JSONValue = ["sold": -1, "refused": 0, "held": 0]
            #expect(
                try await client.call(
                    .post,
                    "/sync/seat-requests",
                    json: ["eventId": .string(event), "seats": 1, "demand": bad],
                    signedBy: TestNode.peer
                )
                .status == .badRequest
            )
        }
    }

    /// A capacity change adds or removes this node's own seats, and only unsold ones: seats it sold
    /// or gave away stay counted, so lowering the capacity can never oversell the event.
    @Test func aNodeLowersTheCapacityOnlyByItsOwnUnsoldSeats() async throws {
        try await TestNode.run { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let created = try await client.call(
                .post,
                "/events",
                token: organizer,
                json: [
                    "name": "Split", "date": "2031-01-01T20:00:00Z", "location": "Hall", "capacity": 10, "price": 5, "currency": "EUR",
                    "allocations": ["venue-a": 6, "venue-b": 4],
                ]
            )
            let event = try #require(created.body["id"]?.string)
            #expect(try await client.call(.post, "/tickets", token: organizer, json: ["eventId": .string(event), "quantity": 3]).status == .created)
            #expect(
                try await client.call(.post, "/events/\(event)/allocations/transfer", token: organizer, json: ["to": "venue-b", "seats": 1]).status
                    == .ok
            )
            // venue-a holds 6 - 1 given - 3 sold = 2 unsold seats; venue-b's 5 are not its to remove.
            let tooFar = try await client.call(.patch, "/events/\(event)", token: organizer, json: ["capacity": 7])
            #expect(tooFar.status == .conflict && tooFar.body["field"] == "capacity", "\(tooFar.body)")
            let lowered = try await client.call(.patch, "/events/\(event)", token: organizer, json: ["capacity": 8])
            #expect(lowered.status == .ok && lowered.body["remainingHere"] == 0 && lowered.body["remaining"] == 5, "\(lowered.body)")
            // The split as created stays; the seats removed are in venue-a's own allocation row.
            #expect(lowered.body["capacity"] == 8 && lowered.body["allocations"] == ["venue-a": 6, "venue-b": 4])
        }
    }
}
