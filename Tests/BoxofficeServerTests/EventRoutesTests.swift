import Foundation
import HummingbirdTesting
import Testing

@Suite struct EventRoutesTests {
    @Test func organizersCreateAndEveryoneReads() async throws {
        try await TestNode.run { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let created = try await client.call(
                .post,
                "/events",
                token: organizer,
                json: [
                    "name": "Jazz", "date": "2030-06-01T20:00:00.500Z", "location": "Hall", "capacity": 100, "price": 12.5, "currency": "eur",
                    "salesPolicy": "overbook",
                ]
            )
            #expect(created.status == .created)
            #expect(created.body["currency"] as? String == "EUR")
            #expect(created.body["salesPolicy"] as? String == "overbook")
            #expect(created.body["sold"] as? Int == 0 && created.body["remaining"] as? Int == 100)
            let id = try #require(created.body["id"] as? String)

            let shown = try await client.call(.get, "/events/\(id)")
            #expect(shown.status == .ok)
            #expect(shown.body["name"] as? String == "Jazz")
            #expect(try await client.call(.get, "/api/events/\(id)").body["id"] as? String == id)
            #expect(try await client.call(.get, "/events/e-missing").status == .notFound)
            #expect(try await client.call(.get, "/events/bad.id").status == .badRequest)
        }
    }

    @Test func attendeesAndStaffCannotCreateEvents() async throws {
        try await TestNode.run { _, client in
            let attendee = try await client.register("Ada", "ada@example.com").token
            let staff = try await client.login("sam@venue.test", "staff-pw-1")
            let event: [String: Any] = ["name": "X", "date": "2030-01-01T00:00:00Z", "location": "Y", "capacity": 1, "price": 0, "currency": "EUR"]
            #expect(try await client.call(.post, "/events", token: attendee, json: event).status == .forbidden)
            #expect(try await client.call(.post, "/events", token: staff, json: event).status == .forbidden)
            #expect(try await client.call(.post, "/events", json: event).status == .unauthorized)
        }
    }

    @Test(arguments: [
        ("capacity", 0 as any Sendable), ("capacity", "ten" as any Sendable), ("currency", "EURO" as any Sendable),
        ("price", -1 as any Sendable), ("date", "next friday" as any Sendable), ("salesPolicy", "first-come" as any Sendable),
        ("name", "Null\u{0}Byte" as any Sendable), ("description", "bell\u{7}" as any Sendable),
    ])
    func invalidEventFieldsAreNamed(_ field: String, _ value: any Sendable) async throws {
        try await TestNode.run { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            var event: [String: Any] = ["name": "X", "date": "2030-01-01T00:00:00Z", "location": "Y", "capacity": 10, "price": 1, "currency": "EUR"]
            event[field] = value
            let response = try await client.call(.post, "/events", token: organizer, json: event)
            #expect(response.status == .badRequest)
            #expect(response.body["field"] as? String == field)
        }
    }

    @Test func listingIsUpcomingFirstWithFiltersAndPages() async throws {
        let now = ISO8601DateFormatter().date(from: "2030-01-01T00:00:00Z")!
        let clock: @Sendable () -> Date = { now }
        try await TestNode.run(now: clock) { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            _ = try await client.createEvent(token: organizer, name: "Past", date: "2029-12-01T20:00:00Z")
            for (index, day) in ["05", "03", "04", "01", "02"].enumerated() {
                _ = try await client.createEvent(token: organizer, name: "Show \(index)", date: "2030-02-\(day)T20:00:00Z")
            }
            let first = try await client.call(.get, "/events?limit=2")
            let firstDates = (first.body["events"] as? [[String: Any]])?.compactMap { $0["date"] as? String }
            #expect(firstDates == ["2030-02-01T20:00:00Z", "2030-02-02T20:00:00Z"])
            let cursor = try #require(first.body["nextCursor"] as? String)
            let second = try await client.call(.get, "/events?limit=2&cursor=\(cursor)")
            #expect(
                (second.body["events"] as? [[String: Any]])?.compactMap { $0["date"] as? String } == ["2030-02-03T20:00:00Z", "2030-02-04T20:00:00Z"]
            )
            let last = try await client.call(.get, "/events?limit=2&cursor=\(try #require(second.body["nextCursor"] as? String))")
            #expect((last.body["events"] as? [Any])?.count == 1)
            #expect(last.body["nextCursor"] == nil)

            let window = try await client.call(.get, "/events?from=2030-02-02T00:00:00Z&to=2030-02-03T23:59:59Z")
            #expect((window.body["events"] as? [[String: Any]])?.count == 2)
            let all = try await client.call(.get, "/events?from=2000-01-01T00:00:00Z&limit=100")
            #expect((all.body["events"] as? [[String: Any]])?.first?["name"] as? String == "Past")
            #expect(try await client.call(.get, "/events?limit=0").status == .badRequest)
            #expect(try await client.call(.get, "/events?from=yesterday").body["field"] as? String == "from")
        }
    }

    @Test func anEditThatChangesNothingOfTheEventWritesNoVersion() async throws {
        try await TestNode.run { node, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let event = try await client.createEvent(token: organizer, capacity: 10)
            let created = try #require(try await node.store.get("events", event)).version
            // A capacity change lives in this node's allocation row; a repeat of the current values is nothing.
            let resized = try await client.call(.patch, "/events/\(event)", token: organizer, json: ["capacity": 12])
            #expect(resized.status == .ok && resized.body["capacity"] as? Int == 12)
            let same = try await client.call(.get, "/events/\(event)").body["location"] as? String ?? ""
            #expect(try await client.call(.patch, "/events/\(event)", token: organizer, json: ["location": same]).status == .ok)
            #expect(try await node.store.get("events", event)?.version == created, "no new version to win over another venue's edit")
            #expect(try await client.call(.patch, "/events/\(event)", token: organizer, json: ["location": "Elsewhere"]).status == .ok)
            #expect(try await node.store.get("events", event)?.version != created)
        }
    }

    @Test func editingAndCancellingNotifyTicketHolders() async throws {
        try await TestNode.run { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let event = try await client.createEvent(token: organizer, capacity: 10)
            let ada = try await client.register("Ada", "ada@example.com")
            #expect(try await client.call(.post, "/tickets", token: ada.token, json: ["eventId": event, "quantity": 2]).status == .created)

            let edited = try await client.call(.patch, "/events/\(event)", token: organizer, json: ["location": "Garden Stage", "capacity": 20])
            #expect(edited.status == .ok)
            #expect(edited.body["location"] as? String == "Garden Stage")
            #expect(edited.body["remaining"] as? Int == 18)
            #expect(try await client.call(.patch, "/events/\(event)", token: organizer, json: ["capacity": 1]).body["field"] as? String == "capacity")
            // Nodes apart sell by the policy; switching it would let one policy's rules judge the other's sales.
            let switched = try await client.call(.patch, "/events/\(event)", token: organizer, json: ["salesPolicy": "overbook"])
            #expect(switched.status == .badRequest)
            #expect(switched.body["field"] as? String == "salesPolicy")
            #expect(
                try await client.call(.patch, "/events/\(event)", token: organizer, json: ["salesPolicy": "escrow"]).status == .ok,
                "the same policy is no change"
            )
            let reallocated = try await client.call(.patch, "/events/\(event)", token: organizer, json: ["allocations": ["venue-a": 20]])
            #expect(reallocated.status == .badRequest)
            #expect(reallocated.body["field"] as? String == "allocations")
            // The split as created, sent back (a client echoing what it read), is no change.
            #expect(try await client.call(.patch, "/events/\(event)", token: organizer, json: ["allocations": ["venue-a": 10]]).status == .ok)
            #expect(try await client.call(.get, "/events/\(event)").body["salesPolicy"] as? String == "escrow")

            let cancelled = try await client.call(.post, "/events/\(event)/cancel", token: organizer)
            #expect(cancelled.body["status"] as? String == "cancelled")
            #expect(cancelled.body["remaining"] as? Int == 0)
            let sale = try await client.call(.post, "/tickets", token: ada.token, json: ["eventId": event, "quantity": 1])
            #expect(sale.status == .conflict)

            let inbox = try await client.call(.get, "/notifications/\(ada.id)", token: ada.token)
            let kinds = (inbox.body["notifications"] as? [[String: Any]])?.compactMap { $0["kind"] as? String }
            #expect(kinds == ["eventCancelled", "eventChanged", "ticketPurchased"])
        }
    }
}
