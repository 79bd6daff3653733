import Foundation
import HummingbirdTesting
import Testing

@Suite struct SeatAllocationTests {
    @Test func aNodeSellsOnlyFromItsOwnAllocationAndCanGiveSeatsAway() async throws {
        try await TestNode.run { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let created = try await client.call(
                .post, "/events", token: organizer,
                json: ["name": "Split", "date": "2031-01-01T20:00:00Z", "location": "Hall", "capacity": 10, "price": 5, "currency": "EUR",
                       "allocations": ["venue-a": 4, "venue-b": 6]])
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
            #expect(try await client.call(.post, "/events/\(event)/allocations/transfer", token: organizer, json: ["to": "venue-b", "seats": 1]).status == .conflict)
            #expect(try await client.call(.post, "/events/\(event)/allocations/transfer", token: organizer, json: ["to": "venue-a", "seats": 1]).status == .badRequest)
            let shown = try await client.call(.get, "/events/\(event)")
            #expect(shown.body["sold"] as? Int == 3 && shown.body["remaining"] as? Int == 7 && shown.body["remainingHere"] as? Int == 0)
            #expect(try await client.call(.post, "/tickets", token: organizer, json: ["eventId": event, "quantity": 1]).status == .conflict)
        }
    }

    @Test func splitsMustAddUpAndOverbookSellsPastTheAllocation() async throws {
        try await TestNode.run { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            var event: [String: Any] = ["name": "X", "date": "2031-01-01T20:00:00Z", "location": "Y", "capacity": 10, "price": 1, "currency": "EUR",
                                        "allocations": ["venue-a": 4, "venue-b": 5]]
            #expect(try await client.call(.post, "/events", token: organizer, json: event).body["field"] as? String == "allocations")
            event["allocations"] = ["venue-a": 2, "venue-b": 8]
            event["salesPolicy"] = "overbook"
            let created = try await client.call(.post, "/events", token: organizer, json: event)
            let id = try #require(created.body["id"] as? String)
            #expect(created.body["remainingHere"] as? Int == 10)
            #expect(try await client.call(.post, "/tickets", token: organizer, json: ["eventId": id, "quantity": 6]).status == .created)
            #expect(try await client.call(.post, "/events/\(id)/allocations/transfer", token: organizer, json: ["to": "venue-b", "seats": 1]).status == .badRequest)
        }
    }
}
