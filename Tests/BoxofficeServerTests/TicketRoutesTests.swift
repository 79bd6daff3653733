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

    @Test func ticketListsAndProfilesArePagedInSaleOrderWithTheirTotal() async throws {
        try await TestNode.run { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let event = try await client.createEvent(token: organizer)
            let ada = try await client.register("Ada", "ada@example.com")
            let bob = try await client.register("Bob", "bob@example.com")
            var sold: [String] = []
            for (buyer, quantity) in [(ada, 3), (bob, 2), (ada, 4)] {
                let sale = try await client.call(
                    .post,
                    "/tickets",
                    token: buyer.token,
                    json: ["eventId": .string(event), "quantity": .number(Double(quantity))]
                )
                // One sale is one moment of the sale order; its tickets follow one another by id.
                sold += try #require(sale.body["tickets"]?.array).compactMap { $0["id"]?.string }.sorted()
            }
            // A cancelled ticket keeps its place: pages follow the sale, not the latest edit.
            #expect(try await client.call(.post, "/tickets/\(sold[1])/cancel", token: ada.token).status == .ok)
            /// Every page of `path` at `limit`, following nextCursor; the totals each page reported.
            func walk(
                _ path: String,
                _ token: String,
                limit: Int,
                list: String = "tickets",
                total: String = "total"
            ) async throws -> ([String], Set<Int>) {
                var ids: [String] = []
                var totals = Set<Int>()
                var cursor: String? = ""
                while let after = cursor {
                    let page = try await client.call(.get, "\(path)?limit=\(limit)&cursor=\(after)", token: token)
                    #expect(page.status == .ok, "\(page.body)")
                    let tickets = try #require(page.body[list]?.array)
                    #expect(tickets.count <= limit)
                    ids += tickets.compactMap { $0["id"]?.string }
                    totals.insert(try #require(page.body[total]?.number.map { Int($0) }))
                    cursor = page.body["nextCursor"]?.string
                }
                return (ids, totals)
            }
            let staff = try await walk("/tickets/\(event)", organizer, limit: 2)
            #expect(staff.0 == sold && staff.1 == [9])
            let own = try await walk("/tickets/\(event)", ada.token, limit: 5)
            #expect(own.0 == Array(sold[0..<3] + sold[5..<9]) && own.1 == [7])
            let profile = try await walk("/users/profile", ada.token, limit: 3, total: "totalTickets")
            #expect(profile.0 == own.0 && profile.1 == [7])
            // The web app's profile lists every event with live tickets, whatever the page.
            let webApp = try await client.call(.get, "/api/users/profile?limit=1", token: ada.token)
            #expect(webApp.body["events"] == [.string(event)] && webApp.body["tickets"]?.array?.count == 1 && webApp.body["totalTickets"] == 7)
            for bad in ["limit=0", "limit=1001", "limit=", "cursor=nope", "cursor=0123456789abcdef_"] {
                #expect(try await client.call(.get, "/tickets/\(event)?\(bad)", token: organizer).status == .badRequest, "\(bad)")
            }
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
