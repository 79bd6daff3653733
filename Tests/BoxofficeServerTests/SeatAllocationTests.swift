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
            #expect(created.body["remainingHere"] as? Int == 4 && created.body["remaining"] as? Int == 10)
            let event = try #require(created.body["id"] as? String)

            let tooMany = try await client.call(.post, "/tickets", token: organizer, json: ["eventId": event, "quantity": 5])
            #expect(tooMany.status == .conflict)
            #expect(tooMany.body["available"] as? Int == 4)
            #expect(try await client.call(.post, "/tickets", token: organizer, json: ["eventId": event, "quantity": 3]).status == .created)

            let given = try await client.call(.post, "/events/\(event)/allocations/transfer", token: organizer, json: ["to": "venue-b", "seats": 1])
            #expect(given.status == .ok)
            #expect(given.body["remainingHere"] as? Int == 0)
            #expect(
                try await client.call(.post, "/events/\(event)/allocations/transfer", token: organizer, json: ["to": "venue-b", "seats": 1]).status
                    == .conflict
            )
            #expect(
                try await client.call(.post, "/events/\(event)/allocations/transfer", token: organizer, json: ["to": "venue-a", "seats": 1]).status
                    == .badRequest
            )
            let shown = try await client.call(.get, "/events/\(event)")
            #expect(shown.body["sold"] as? Int == 3 && shown.body["remaining"] as? Int == 7 && shown.body["remainingHere"] as? Int == 0)
            #expect(try await client.call(.post, "/tickets", token: organizer, json: ["eventId": event, "quantity": 1]).status == .conflict)
        }
    }

    @Test func splitsMustAddUpAndOverbookSellsPastTheAllocation() async throws {
        try await TestNode.run { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            var event: [String: Any] = [
                "name": "X", "date": "2031-01-01T20:00:00Z", "location": "Y", "capacity": 10, "price": 1, "currency": "EUR",
                "allocations": ["venue-a": 4, "venue-b": 5],
            ]
            #expect(try await client.call(.post, "/events", token: organizer, json: event).body["field"] as? String == "allocations")
            event["allocations"] = ["venue-a": 2, "venue-b": 8]
            event["salesPolicy"] = "overbook"
            let created = try await client.call(.post, "/events", token: organizer, json: event)
            let id = try #require(created.body["id"] as? String)
            #expect(created.body["remainingHere"] as? Int == 10)
            #expect(try await client.call(.post, "/tickets", token: organizer, json: ["eventId": id, "quantity": 6]).status == .created)
            #expect(
                try await client.call(.post, "/events/\(id)/allocations/transfer", token: organizer, json: ["to": "venue-b", "seats": 1]).status
                    == .badRequest
            )
        }
    }

    /// A peer short of seats asks (`POST /sync/seat-requests`); an idle node gives half its spare,
    /// capped at the request, and the gift is its own allocation row.
    @Test func aPeerShortOfSeatsIsGivenPartOfTheSpare() async throws {
        try await TestNode.run { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let event = try await client.createEvent(token: organizer, capacity: 40)
            let fromB: HTTPFields = [HTTPField.Name("X-Boxoffice-Node")!: "venue-b"]
            let asked = try await client.call(
                .post,
                "/sync/seat-requests",
                token: TestNode.secret,
                json: ["eventId": event, "seats": 4],
                headers: fromB
            )
            #expect(asked.status == .ok && asked.body["granted"] as? Int == 4, "\(asked.body)")
            #expect(try await client.call(.get, "/events/\(event)").body["remainingHere"] as? Int == 36)
            let feed = try await client.call(.get, "/sync/changes?since=0", token: TestNode.secret)
            let row = (feed.body["versions"] as? [[String: Any]])?.first { $0["collection"] as? String == "allocations" }
            #expect(((row?["body"] as? [String: Any])?["given"] as? [String: Int]) == ["venue-b": 4], "the gift is not in the changes feed")

            // Without the cluster secret, without a node name, or for an unknown event: refused.
            #expect(
                try await client.call(.post, "/sync/seat-requests", token: organizer, json: ["eventId": event, "seats": 4], headers: fromB).status
                    == .unauthorized
            )
            #expect(
                try await client.call(.post, "/sync/seat-requests", token: TestNode.secret, json: ["eventId": event, "seats": 4]).status
                    == .badRequest
            )
            #expect(
                try await client.call(.post, "/sync/seat-requests", token: TestNode.secret, json: ["eventId": "e-nope", "seats": 4], headers: fromB)
                    .status == .notFound
            )
            #expect(
                try await client.call(.post, "/sync/seat-requests", token: TestNode.secret, json: ["eventId": event], headers: fromB).status
                    == .badRequest
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
            let event = try #require(created.body["id"] as? String)
            #expect(try await client.call(.post, "/tickets", token: organizer, json: ["eventId": event, "quantity": 3]).status == .created)
            #expect(
                try await client.call(.post, "/events/\(event)/allocations/transfer", token: organizer, json: ["to": "venue-b", "seats": 1]).status
                    == .ok
            )
            // venue-a holds 6 - 1 given - 3 sold = 2 unsold seats; venue-b's 5 are not its to remove.
            let tooFar = try await client.call(.patch, "/events/\(event)", token: organizer, json: ["capacity": 7])
            #expect(tooFar.status == .badRequest && tooFar.body["field"] as? String == "capacity", "\(tooFar.body)")
            let lowered = try await client.call(.patch, "/events/\(event)", token: organizer, json: ["capacity": 8])
            #expect(lowered.status == .ok && lowered.body["remainingHere"] as? Int == 0 && lowered.body["remaining"] as? Int == 5, "\(lowered.body)")
            // The split as created stays; the seats removed are in venue-a's own allocation row.
            #expect(lowered.body["capacity"] as? Int == 8 && (lowered.body["allocations"] as? [String: Int]) == ["venue-a": 6, "venue-b": 4])
        }
    }
}
