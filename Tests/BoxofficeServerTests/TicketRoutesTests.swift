import BoxofficeTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct TicketRoutesTests {
    @Test func buyingListsAndCountsTickets() async throws {
        try await TestNode.run { node, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let event = try await client.createEvent(token: organizer, capacity: 5)
            let ada = try await client.register("Ada", "ada@example.com")
            let sale = try await client.call(.post, "/tickets", token: ada.token, json: ["eventId": .string(event), "quantity": 3])
            #expect(sale.status == .created)
            let tickets = try #require(sale.body["tickets"]?.array)
            #expect(tickets.count == 3)
            let codes = Set(tickets.compactMap { $0["code"]?.string })
            #expect(codes.count == 3 && codes.allSatisfy { $0.count == 16 })
            #expect(tickets.allSatisfy { $0["holderEmail"] == "ada@example.com" && $0["soldBy"] == "venue-a" })

            let shown = try await client.call(.get, "/events/\(event)")
            #expect(shown.body["sold"] == 3 && shown.body["remaining"] == 2)

            let soldOut = try await client.call(.post, "/tickets", token: ada.token, json: ["eventId": .string(event), "quantity": 3])
            #expect(soldOut.status == .conflict)
            #expect(soldOut.body["available"] == 2)
            #expect(try await client.call(.get, "/users/profile", token: ada.token).body["unreadNotifications"] == 1)
        }
    }

    @Test func anIdempotencyKeyNeverSellsTwice() async throws {
        try await TestNode.run { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let event = try await client.createEvent(token: organizer, capacity: 10)
            let ada = try await client.register("Ada", "ada@example.com")
            let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "order-1"]
            let first = try await client.call(.post, "/tickets", token: ada.token, json: ["eventId": .string(event), "quantity": 2], headers: key)
            let again = try await client.call(.post, "/tickets", token: ada.token, json: ["eventId": .string(event), "quantity": 2], headers: key)
            #expect(first.status == .created && again.status == .created)
            let ids = { (body: JSONValue) in body["tickets"]?.array?.compactMap { $0["id"]?.string } }
            #expect(ids(first.body) == ids(again.body))
            #expect(try await client.call(.get, "/events/\(event)").body["sold"] == 2)
            let changed = try await client.call(.post, "/tickets", token: ada.token, json: ["eventId": .string(event), "quantity": 3], headers: key)
            #expect(changed.status == .unprocessableContent)
            // Another user's identical key is their own.
            let bob = try await client.register("Bob", "bob@example.com")
            #expect(
                try await client.call(.post, "/tickets", token: bob.token, json: ["eventId": .string(event), "quantity": 2], headers: key).status
                    == .created
            )
        }
    }

    @Test func staffSellToWalkInsAttendeesCannot() async throws {
        try await TestNode.run { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let staff = try await client.login("sam@venue.test", "staff-pw-1")
            let event = try await client.createEvent(token: organizer, capacity: 10)
            let walkIn = try await client.call(
                .post,
                "/tickets",
                token: staff,
                json: ["eventId": .string(event), "quantity": 1, "holderName": "Walk In", "holderEmail": "walk@in.test"]
            )
            #expect(walkIn.status == .created)
            let ticket = try #require(walkIn.body["tickets"]?.array?.first)
            #expect(ticket["holderName"] == "Walk In")
            #expect(ticket["userId"] == nil)
            let ada = try await client.register("Ada", "ada@example.com")
            #expect(
                try await client.call(.post, "/tickets", token: ada.token, json: ["eventId": .string(event), "quantity": 1, "holderName": "X"]).status
                    == .forbidden
            )
        }
    }

    @Test(arguments: [0, 11, -1])
    func quantityMustBeOneToTen(_ quantity: Int) async throws {
        try await TestNode.run { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let event = try await client.createEvent(token: organizer)
            let response = try await client.call(
                .post,
                "/tickets",
                token: organizer,
                json: ["eventId": .string(event), "quantity": .number(Double(quantity))]
            )
            #expect(response.status == .badRequest)
            #expect(response.body["field"] == "quantity")
        }
    }

    @Test func unknownEventsAndAnonymousBuyersAreRefused() async throws {
        try await TestNode.run { _, client in
            let ada = try await client.register("Ada", "ada@example.com")
            #expect(try await client.call(.post, "/tickets", token: ada.token, json: ["eventId": "e-nope", "quantity": 1]).status == .notFound)
            #expect(try await client.call(.post, "/tickets", json: ["eventId": "e-nope", "quantity": 1]).status == .unauthorized)
            #expect(
                try await client.call(.post, "/tickets", token: ada.token, json: ["eventId": "../x", "quantity": 1]).body["field"]?.string
                    == "eventId"
            )
        }
    }

    @Test func attendeesSeeTheirOwnTicketsStaffSeeAll() async throws {
        try await TestNode.run { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let event = try await client.createEvent(token: organizer)
            let ada = try await client.register("Ada", "ada@example.com")
            let bob = try await client.register("Bob", "bob@example.com")
            _ = try await client.call(.post, "/tickets", token: ada.token, json: ["eventId": .string(event), "quantity": 2])
            _ = try await client.call(.post, "/tickets", token: bob.token, json: ["eventId": .string(event), "quantity": 1])
            let count = { (token: String) in try await client.call(.get, "/tickets/\(event)", token: token).body["tickets"]?.array?.count }
            #expect(try await count(ada.token) == 2)
            #expect(try await count(bob.token) == 1)
            #expect(try await count(organizer) == 3)
            #expect(try await client.call(.get, "/tickets/\(event)").status == .unauthorized)
        }
    }

    @Test func cancellingFreesTheSeatAndTellsTheHolder() async throws {
        try await TestNode.run { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let event = try await client.createEvent(token: organizer, capacity: 1)
            let ada = try await client.register("Ada", "ada@example.com")
            let bob = try await client.register("Bob", "bob@example.com")
            let sale = try await client.call(.post, "/tickets", token: ada.token, json: ["eventId": .string(event), "quantity": 1])
            let ticket = try #require(sale.body["tickets[0].id"]?.string)
            #expect(try await client.call(.post, "/tickets/\(ticket)/cancel", token: bob.token).status == .forbidden)
            let cancelled = try await client.call(.post, "/tickets/\(ticket)/cancel", token: ada.token)
            #expect(cancelled.body["status"] == "cancelled")
            #expect(try await client.call(.post, "/tickets/\(ticket)/cancel", token: ada.token).status == .conflict)
            #expect(try await client.call(.get, "/events/\(event)").body["remaining"] == 1)
            #expect(try await client.call(.post, "/tickets", token: bob.token, json: ["eventId": .string(event), "quantity": 1]).status == .created)
            let inbox = try await client.call(.get, "/notifications/\(ada.id)", token: ada.token)
            #expect(inbox.body["notifications[0].kind"] == "ticketCancelled")
        }
    }
}
