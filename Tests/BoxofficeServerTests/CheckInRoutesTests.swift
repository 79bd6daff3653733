import BoxofficeTestSupport
import Foundation
import HummingbirdTesting
import Testing

@Suite struct CheckInRoutesTests {
    /// An event of five seats, and Ada's purchase of `quantity` of them.
    struct Sale {
        let organizer: String
        let staff: String
        let event: String
        let ada: (token: String, id: String)
        let tickets: [Ticket]
    }

    /// A ticket of the sale's answer: what the check-in tests read of it.
    struct Ticket: Decodable {
        let id: String
        let code: String
    }

    static func sell(_ quantity: Int, on client: some TestClientProtocol) async throws -> Sale {
        let organizer = try await client.login("olga@venue.test", "organizer-pw")
        let staff = try await client.login("sam@venue.test", "staff-pw-1")
        let event = try await client.createEvent(token: organizer, capacity: 5)
        let ada = try await client.register("Ada", "ada@example.com")
        let sale = try await client.call(
            .post,
            "/tickets",
            token: ada.token,
            json: ["eventId": .string(event), "quantity": .number(Double(quantity))]
        )
        return Sale(
            organizer: organizer,
            staff: staff,
            event: event,
            ada: (ada.token, ada.id),
            tickets: try #require(sale.body["tickets"]).decoded()
        )
    }

    @Test func theFirstScanAdmitsTheSecondSaysWhenAndWhere() async throws {
        try await TestNode.run { _, client in
            let sale = try await Self.sell(2, on: client)
            let (staff, ada, tickets) = (sale.staff, sale.ada, sale.tickets)
            let code = try #require(tickets.first).code

            let admitted = try await client.call(.post, "/tickets/\(code.lowercased())/checkin", token: staff, json: ["gate": "North"])
            #expect(admitted.status == .ok)
            #expect(admitted.body["ticket.holderName"] == "Ada")
            #expect(admitted.body["checkIn.node"] == "venue-a")
            let again = try await client.call(.post, "/tickets/\(code)/checkin", token: staff)
            #expect(again.status == .conflict)
            // The ticket's id names the same ticket as its printed code.
            let byID = try await client.call(.post, "/tickets/\(try #require(tickets.first).id)/checkin", token: staff)
            #expect(byID.status == .conflict && byID.body["detail"]?.string?.contains("gate North") == true)
            #expect(try await client.call(.post, "/tickets/t-nosuchticket/checkin", token: staff).status == .notFound)
            #expect(again.body["detail"]?.string?.contains("gate North on node venue-a") == true)
            // A used ticket keeps its seat: cancelling it would let the seat be sold again.
            let usedID = try #require(tickets.first).id
            let cancelUsed = try await client.call(.post, "/tickets/\(usedID)/cancel", token: ada.token)
            #expect(cancelUsed.status == .conflict && cancelUsed.body["detail"]?.string?.contains("scanned at the door") == true)

            #expect(try await client.call(.post, "/tickets/NOSUCHCODE0000/checkin", token: staff).status == .notFound)
            #expect(try await client.call(.post, "/tickets/\(code)/checkin", token: ada.token).status == .forbidden)
            let other = try #require(tickets.last)
            _ = try await client.call(.post, "/tickets/\(other.id)/cancel", token: ada.token)
            #expect(try await client.call(.post, "/tickets/\(other.code)/checkin", token: staff).status == .gone)
        }
    }

    @Test func aCancelledEventAdmitsNoOne() async throws {
        try await TestNode.run { _, client in
            let sale = try await Self.sell(1, on: client)
            let code = try #require(sale.tickets.first).code
            #expect(try await client.call(.post, "/events/\(sale.event)/cancel", token: sale.organizer).status == .ok)

            let refused = try await client.call(.post, "/tickets/\(code)/checkin", token: sale.staff)
            #expect(refused.status == .gone)
            #expect(refused.body["detail"]?.string?.contains("cancelled event") == true)
        }
    }
}
