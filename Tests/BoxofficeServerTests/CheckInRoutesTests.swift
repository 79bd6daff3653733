import Foundation
import HummingbirdTesting
import Testing

@Suite struct CheckInRoutesTests {
    @Test func theFirstScanAdmitsTheSecondSaysWhenAndWhere() async throws {
        try await TestNode.run { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let staff = try await client.login("sam@venue.test", "staff-pw-1")
            let event = try await client.createEvent(token: organizer, capacity: 5)
            let ada = try await client.register("Ada", "ada@example.com")
            let sale = try await client.call(.post, "/tickets", token: ada.token, json: ["eventId": event, "quantity": 2])
            let tickets = try #require(sale.body["tickets"] as? [[String: Any]])
            let code = try #require(tickets.first?["code"] as? String)

            let admitted = try await client.call(.post, "/tickets/\(code.lowercased())/checkin", token: staff, json: ["gate": "North"])
            #expect(admitted.status == .ok)
            #expect((admitted.body["ticket"] as? [String: Any])?["holderName"] as? String == "Ada")
            #expect((admitted.body["checkIn"] as? [String: Any])?["node"] as? String == "venue-a")
            let again = try await client.call(.post, "/tickets/\(code)/checkin", token: staff)
            #expect(again.status == .conflict)
            // A used ticket keeps its seat: cancelling it would let the seat be sold again.
            let usedID = try #require(tickets.first?["id"] as? String)
            let cancelUsed = try await client.call(.post, "/tickets/\(usedID)/cancel", token: ada.token)
            #expect(cancelUsed.status == .conflict && (cancelUsed.body["detail"] as? String)?.contains("scanned at the door") == true)
            #expect((again.body["detail"] as? String)?.contains("gate North on node venue-a") == true)

            #expect(try await client.call(.post, "/tickets/NOSUCHCODE0000/checkin", token: staff).status == .notFound)
            #expect(try await client.call(.post, "/tickets/\(code)/checkin", token: ada.token).status == .forbidden)
            let other = try #require(tickets.last?["id"] as? String)
            let otherCode = try #require(tickets.last?["code"] as? String)
            _ = try await client.call(.post, "/tickets/\(other)/cancel", token: ada.token)
            #expect(try await client.call(.post, "/tickets/\(otherCode)/checkin", token: staff).status == .gone)
        }
    }

    @Test func aCancelledEventAdmitsNoOne() async throws {
        try await TestNode.run { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let staff = try await client.login("sam@venue.test", "staff-pw-1")
            let event = try await client.createEvent(token: organizer, capacity: 5)
            let ada = try await client.register("Ada", "ada@example.com")
            let sale = try await client.call(.post, "/tickets", token: ada.token, json: ["eventId": event, "quantity": 1])
            let code = try #require((sale.body["tickets"] as? [[String: Any]])?.first?["code"] as? String)
            #expect(try await client.call(.post, "/events/\(event)/cancel", token: organizer).status == .ok)

            let refused = try await client.call(.post, "/tickets/\(code)/checkin", token: staff)
            #expect(refused.status == .gone)
            #expect((refused.body["detail"] as? String)?.contains("cancelled event") == true)
        }
    }
}
