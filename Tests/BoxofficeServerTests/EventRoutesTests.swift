import BoxofficeTestSupport
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
            #expect(created.body["currency"] == "EUR")
            #expect(created.body["salesPolicy"] == "overbook")
            #expect(created.body["sold"] == 0 && created.body["remaining"] == 100)
            let id = try #require(created.body["id"]?.string)

            let shown = try await client.call(.get, "/events/\(id)")
            #expect(shown.status == .ok)
            #expect(shown.body["name"] == "Jazz")
            #expect(try await client.call(.get, "/api/events/\(id)").body["id"]?.string == id)
            #expect(try await client.call(.get, "/events/e-missing").status == .notFound)
            #expect(try await client.call(.get, "/events/bad.id").status == .badRequest)
        }
    }

    @Test func attendeesAndStaffCannotCreateEvents() async throws {
        try await TestNode.run { _, client in
            let attendee = try await client.register("Ada", "ada@example.com").token
            let staff = try await client.login("sam@venue.test", "staff-pw-1")
            let event: JSONValue = ["name": "X", "date": "2030-01-01T00:00:00Z", "location": "Y", "capacity": 1, "price": 0, "currency": "EUR"]
            #expect(try await client.call(.post, "/events", token: attendee, json: event).status == .forbidden)
            #expect(try await client.call(.post, "/events", token: staff, json: event).status == .forbidden)
            #expect(try await client.call(.post, "/events", json: event).status == .unauthorized)
        }
    }

    @Test(
        arguments: [
            ("capacity", 0), ("capacity", "ten"), ("currency", "EURO"), ("price", -1), ("date", "next friday"), ("salesPolicy", "first-come"),
            ("name", "Null\u{0}Byte"), ("description", "bell\u{7}"),
        ] as [(String, JSONValue)]
    )
    func invalidEventFieldsAreNamed(_ field: String, _ value: JSONValue) async throws {
        try await TestNode.run { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            var event: [String: JSONValue] = [
                "name": "X", "date": "2030-01-01T00:00:00Z", "location": "Y", "capacity": 10, "price": 1, "currency": "EUR",
            ]
            event[field] = value
            let response = try await client.call(.post, "/events", token: organizer, json: .object(event))
            #expect(response.status == .badRequest)
            #expect(response.body["field"]?.string == field)
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
            let firstDates = first.body["events"]?.array?.compactMap { $0["date"]?.string }
            #expect(firstDates == ["2030-02-01T20:00:00Z", "2030-02-02T20:00:00Z"])
            let cursor = try #require(first.body["nextCursor"]?.string)
            let second = try await client.call(.get, "/events?limit=2&cursor=\(cursor)")
            #expect(
                second.body["events"]?.array?.compactMap { $0["date"]?.string } == ["2030-02-03T20:00:00Z", "2030-02-04T20:00:00Z"]
            )
            let last = try await client.call(.get, "/events?limit=2&cursor=\(try #require(second.body["nextCursor"]?.string))")
            #expect(last.body["events"]?.array?.count == 1)
            #expect(last.body["nextCursor"] == nil)

            let window = try await client.call(.get, "/events?from=2030-02-02T00:00:00Z&to=2030-02-03T23:59:59Z")
            #expect(window.body["events"]?.array?.count == 2)
            let all = try await client.call(.get, "/events?from=2000-01-01T00:00:00Z&limit=100")
            #expect(all.body["events[0].name"] == "Past")
            #expect(try await client.call(.get, "/events?limit=0").status == .badRequest)
            #expect(try await client.call(.get, "/events?from=yesterday").body["field"] == "from")
        }
    }

    @Test func anEditThatChangesNothingOfTheEventWritesNoVersion() async throws {
        try await TestNode.run { node, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let event = try await client.createEvent(token: organizer, capacity: 10)
            let created = try #require(try await node.store.get("events", event)).version
            // A capacity change lives in this node's allocation row; a repeat of the current values is nothing.
            let resized = try await client.call(.patch, "/events/\(event)", token: organizer, json: ["capacity": 12])
            #expect(resized.status == .ok && resized.body["capacity"] == 12)
            let same = try await client.call(.get, "/events/\(event)").body["location"]?.string ?? ""
            #expect(try await client.call(.patch, "/events/\(event)", token: organizer, json: ["location": .string(same)]).status == .ok)
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
            #expect(try await client.call(.post, "/tickets", token: ada.token, json: ["eventId": .string(event), "quantity": 2]).status == .created)

            let edited = try await client.call(.patch, "/events/\(event)", token: organizer, json: ["location": "Garden Stage", "capacity": 20])
            #expect(edited.status == .ok)
            #expect(edited.body["location"] == "Garden Stage")
            #expect(edited.body["remaining"] == 18)
            #expect(try await client.call(.patch, "/events/\(event)", token: organizer, json: ["capacity": 1]).body["field"] == "capacity")
            // Nodes apart sell by the policy; switching it would let one policy's rules judge the other's sales.
            let switched = try await client.call(.patch, "/events/\(event)", token: organizer, json: ["salesPolicy": "overbook"])
            #expect(switched.status == .conflict, "well formed; the event's state refuses it")
            #expect(switched.body["field"] == "salesPolicy")
            #expect(
                try await client.call(.patch, "/events/\(event)", token: organizer, json: ["salesPolicy": "escrow"]).status == .ok,
                "the same policy is no change"
            )
            let reallocated = try await client.call(.patch, "/events/\(event)", token: organizer, json: ["allocations": ["venue-a": 20]])
            #expect(reallocated.status == .conflict)
            #expect(reallocated.body["field"] == "allocations")
            // The split as created, sent back (a client echoing what it read), is no change.
            #expect(try await client.call(.patch, "/events/\(event)", token: organizer, json: ["allocations": ["venue-a": 10]]).status == .ok)
            #expect(try await client.call(.get, "/events/\(event)").body["salesPolicy"] == "escrow")

            let cancelled = try await client.call(.post, "/events/\(event)/cancel", token: organizer)
            #expect(cancelled.body["status"] == "cancelled")
            #expect(cancelled.body["remaining"] == 0)
            let sale = try await client.call(.post, "/tickets", token: ada.token, json: ["eventId": .string(event), "quantity": 1])
            #expect(sale.status == .conflict)

            let inbox = try await client.call(.get, "/notifications/\(ada.id)", token: ada.token)
            let kinds = inbox.body["notifications"]?.array?.compactMap { $0["kind"]?.string }
            #expect(kinds == ["eventCancelled", "eventChanged", "ticketPurchased"])
        }
    }
}
