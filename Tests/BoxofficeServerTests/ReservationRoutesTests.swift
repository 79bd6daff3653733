import BoxofficeTestSupport
import Foundation
import HummingbirdTesting
import Testing

/// Seat holds: they take seats at once, give them back on expiry or release, and confirm into
/// tickets exactly once.
@Suite struct ReservationRoutesTests {
    @Test func aHoldTakesSeatsUntilItExpiresByTheNodesClock() async throws {
        let clock = TestClock()
        try await TestNode.run(now: clock.now) { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let event = try await client.createEvent(token: organizer, capacity: 5)
            let ada = try await client.register("Ada", "ada@example.com")
            let hold = try await client.call(.post, "/reservations", token: ada.token, json: ["eventId": .string(event), "quantity": 3])
            #expect(hold.status == .created)
            #expect(hold.body["seats"] == 3)
            #expect(hold.body["eventId"]?.string == event)
            let expiresAt = try #require(hold.body["expiresAt"]?.string)
            #expect(expiresAt == "2030-03-17T17:56:40Z", "ten minutes after the injected clock's 17:46:40")

            let during = try await client.call(.get, "/events/\(event)")
            #expect(during.body["held"] == 3)
            #expect(during.body["sold"] == 0)
            #expect(during.body["remaining"] == 2)
            #expect(during.body["remainingHere"] == 2)
            let tooMany = try await client.call(.post, "/tickets", token: ada.token, json: ["eventId": .string(event), "quantity": 3])
            #expect(tooMany.status == .conflict, "held seats are not for sale")

            clock.advance(minutes: 10)
            let listed = try await client.call(.get, "/events")
            let shown = listed.body["events"]?.array?.first { $0["id"]?.string == event }
            #expect(shown?["held"] == 0)
            #expect(shown?["remaining"] == 5)
            let holdID = try #require(hold.body["id"]?.string)
            let late = try await client.call(.post, "/reservations/\(holdID)/confirm", token: ada.token)
            #expect(late.status == .gone)
            #expect(late.body["detail"]?.string?.contains("expired at 2030-03-17T17:56:40Z") == true)
            #expect(try await client.call(.get, "/reservations/\(holdID)", token: ada.token).body["status"] == "open")

            // The next hold made on this node marks the lapsed one, so reads stop looking at it.
            let next = try await client.call(.post, "/reservations", token: ada.token, json: ["eventId": .string(event), "quantity": 1])
            #expect(next.status == .created)
            #expect(try await client.call(.get, "/reservations/\(holdID)", token: ada.token).body["status"] == "expired")
            #expect(try await client.call(.post, "/reservations/\(holdID)/confirm", token: ada.token).status == .gone)
            #expect(try await client.call(.post, "/tickets", token: ada.token, json: ["eventId": .string(event), "quantity": 4]).status == .created)
        }
    }

    @Test func confirmingTwiceReturnsTheSameTickets() async throws {
        let clock = TestClock()
        try await TestNode.run(now: clock.now) { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let event = try await client.createEvent(token: organizer, capacity: 5)
            #expect(try await client.call(.patch, "/events/\(event)", token: organizer, json: ["holdMinutes": 2]).status == .ok)
            let ada = try await client.register("Ada", "ada@example.com")
            let hold = try await client.call(.post, "/reservations", token: ada.token, json: ["eventId": .string(event), "quantity": 2])
            let holdID = try #require(hold.body["id"]?.string)
            clock.advance(minutes: 1.5)
            let first = try await client.call(.post, "/reservations/\(holdID)/confirm", token: ada.token)
            #expect(first.status == .created)
            let tickets = try #require(first.body["tickets"]?.array)
            #expect(tickets.count == 2)
            clock.advance(minutes: 5)
            let again = try await client.call(.post, "/reservations/\(holdID)/confirm", token: ada.token)
            #expect(again.status == .created, "a confirmed hold stays confirmed after its expiry time")
            let ids = { (list: [JSONValue]) in list.compactMap { $0["id"]?.string } }
            #expect(ids(try #require(again.body["tickets"]?.array)) == ids(tickets))

            let after = try await client.call(.get, "/events/\(event)")
            #expect(after.body["sold"] == 2)
            #expect(after.body["held"] == 0)
            let profile = try await client.call(.get, "/users/profile", token: ada.token)
            #expect(profile.body["tickets"]?.array?.count == 2)
            #expect(profile.body["unreadNotifications"] == 1, "one purchase notification, not two")
            #expect(try await client.call(.delete, "/reservations/\(holdID)", token: ada.token).status == .conflict)
        }
    }

    @Test func releasingGivesTheSeatsBackAtOnce() async throws {
        try await TestNode.run { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let event = try await client.createEvent(token: organizer, capacity: 4)
            let ada = try await client.register("Ada", "ada@example.com")
            let bob = try await client.register("Bob", "bob@example.com")
            let hold = try await client.call(.post, "/reservations", token: ada.token, json: ["eventId": .string(event), "quantity": 4])
            let holdID = try #require(hold.body["id"]?.string)
            let blocked = try await client.call(.post, "/reservations", token: bob.token, json: ["eventId": .string(event), "quantity": 1])
            #expect(blocked.status == .conflict)
            #expect(blocked.body["detail"] == "sold out")
            #expect(try await client.call(.delete, "/reservations/\(holdID)", token: bob.token).status == .forbidden)
            #expect(try await client.call(.get, "/reservations/\(holdID)", token: ada.token).body["status"] == "open")
            let released = try await client.call(.delete, "/reservations/\(holdID)", token: ada.token)
            #expect(released.status == .ok)
            #expect(released.body["status"] == "released")
            #expect(try await client.call(.get, "/events/\(event)").body["remaining"] == 4)
            #expect(try await client.call(.post, "/reservations/\(holdID)/confirm", token: ada.token).status == .gone)
            #expect(
                try await client.call(.post, "/reservations", token: bob.token, json: ["eventId": .string(event), "quantity": 4]).status == .created
            )
        }
    }

    @Test func staffHoldForAWalkInAndBadInputIsA4xx() async throws {
        try await TestNode.run { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let staff = try await client.login("sam@venue.test", "staff-pw-1")
            let event = try await client.createEvent(token: organizer, capacity: 10)
            let walkIn = try await client.call(
                .post,
                "/reservations",
                token: staff,
                json: ["eventId": .string(event), "quantity": 2, "holderName": "Walk In", "holderEmail": "walk@in.test"]
            )
            #expect(walkIn.status == .created)
            #expect(walkIn.body["holderName"] == "Walk In")
            let confirmed = try await client.call(.post, "/reservations/\(walkIn.body["id"]?.string ?? "")/confirm", token: staff)
            #expect(confirmed.body["tickets[0].soldByUser"]?.string != nil)

            let ada = try await client.register("Ada", "ada@example.com")
            #expect(try await client.call(.post, "/reservations", json: ["eventId": .string(event), "quantity": 1]).status == .unauthorized)
            #expect(
                try await client.call(.post, "/reservations", token: ada.token, json: ["eventId": .string(event), "quantity": 11]).status
                    == .badRequest
            )
            #expect(try await client.call(.post, "/reservations", token: ada.token, json: ["eventId": .string(event)]).status == .badRequest)
            #expect(
                try await client.call(.post, "/reservations", token: ada.token, json: ["eventId": .string(event), "quantity": 1, "holderName": "X"])
                    .status
                    == .forbidden
            )
            #expect(try await client.call(.post, "/reservations/nope/confirm", token: ada.token).status == .notFound)
            #expect(try await client.call(.post, "/reservations/../confirm", token: ada.token).status.code < 500)
            #expect(try await client.call(.patch, "/events/\(event)", token: organizer, json: ["holdMinutes": 0]).status == .badRequest)
        }
    }

    /// Held seats are taken: the capacity cannot drop below sold + held, and a confirmation sells
    /// the hold's own seats, never seats that are not there.
    @Test func heldSeatsCountAgainstTheCapacityAndAConfirmSellsOnlyItsOwnSeats() async throws {
        try await TestNode.run { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let event = try await client.createEvent(token: organizer, capacity: 10)
            let ada = try await client.register("Ada", "ada@example.com")
            let hold = try await client.call(.post, "/reservations", token: ada.token, json: ["eventId": .string(event), "quantity": 8])
            let holdID = try #require(hold.body["id"]?.string)
            #expect(try await client.call(.post, "/tickets", token: organizer, json: ["eventId": .string(event), "quantity": 1]).status == .created)
            let lowered = try await client.call(.patch, "/events/\(event)", token: organizer, json: ["capacity": 2])
            #expect(lowered.status == .conflict && lowered.body["field"] == "capacity", "\(lowered.body)")
            #expect(try await client.call(.patch, "/events/\(event)", token: organizer, json: ["capacity": 9]).status == .ok)
            #expect(try await client.call(.post, "/tickets", token: organizer, json: ["eventId": .string(event), "quantity": 1]).status == .conflict)

            let confirmed = try await client.call(.post, "/reservations/\(holdID)/confirm", token: ada.token)
            #expect(confirmed.status == .created && confirmed.body["tickets"]?.array?.count == 8, "\(confirmed.body)")
            let shown = try await client.call(.get, "/events/\(event)")
            #expect(shown.body["sold"] == 9 && shown.body["held"] == 0 && shown.body["remaining"] == 0)
        }
    }

    /// The listing is kept between writes, but time alone still changes it: a hold that expires
    /// gives its seats back and an event that starts leaves the list, with nothing written.
    @Test func theListingFollowsTheClockBetweenWrites() async throws {
        let clock = TestClock()
        try await TestNode.run(now: clock.now) { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let soon = try await client.createEvent(token: organizer, capacity: 5, name: "Soon", date: "2030-03-17T18:30:00Z")
            let later = try await client.createEvent(token: organizer, capacity: 5, name: "Later", date: "2030-03-18T20:00:00Z")
            let ada = try await client.register("Ada", "ada@example.com")
            let hold = try await client.call(.post, "/reservations", token: ada.token, json: ["eventId": .string(later), "quantity": 2])
            #expect(hold.status == .created)
            func listed() async throws -> [String: Int] {
                let events = try await client.call(.get, "/events").body["events"]?.array ?? []
                return Dictionary(
                    uniqueKeysWithValues: events.compactMap { event in (event["id"]?.string).map { ($0, event["held"]?.int ?? -1) } }
                )
            }
            #expect(try await listed() == [soon: 0, later: 2])
            #expect(try await listed() == [soon: 0, later: 2])
            clock.advance(minutes: 10)
            #expect(try await listed() == [soon: 0, later: 0], "the expired hold still counted")
            let lapsed = try await client.call(.delete, "/reservations/\(try #require(hold.body["id"]?.string))", token: ada.token)
            #expect(lapsed.status == .ok && lapsed.body["status"] == "expired", "releasing a lapsed hold says it expired")
            clock.advance(minutes: 60)
            #expect(try await listed() == [later: 0], "an event that started is still listed")
        }
    }
}
