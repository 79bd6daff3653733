import BoxofficeCore
import BoxofficeTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// How sales are paid, cash drawers, and the end-of-day settlement, through the API and the page.
@Suite struct SettlementRoutesTests {
    @Test func salesRecordHowTheyWerePaidAndTheSettlementCountsThem() async throws {
        try await TestNode.run { node, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let staff = try await client.login("sam@venue.test", "staff-pw-1")
            let ada = try await client.register("Ada", "ada@example.com")
            let event = try await client.createEvent(token: organizer, name: "Jazz Night")
            func sell(
                _ token: String,
                _ fields: [String: JSONValue]
            ) async throws -> (status: HTTPResponse.Status, body: JSONValue, headers: HTTPFields) {
                try await client.call(
                    .post,
                    "/tickets",
                    token: token,
                    json: .object(["eventId": .string(event), "quantity": 1].merging(fields) { $1 })
                )
            }

            let cash = try await sell(staff, ["holderName": "Walk In"])
            #expect(cash.status == .created && cash.body["tickets[0].paymentMethod"] == "cash", "staff sell for cash by default")
            #expect(cash.body["tickets[0].soldByUser"]?.string == node.staffID, "and the seller is recorded")
            #expect(try await sell(staff, ["holderName": "Card Payer", "paymentMethod": "card"]).body["tickets[0].paymentMethod"] == "card")
            #expect(try await sell(staff, ["holderName": "Guest", "paymentMethod": "comp"]).body["tickets[0].paymentMethod"] == "comp")
            let online = try await sell(ada.token, [:])
            #expect(online.body["tickets[0].paymentMethod"] == "online", "attendees pay online by default")
            #expect(try await sell(ada.token, ["paymentMethod": "cash"]).status == .forbidden, "only staff take cash")
            #expect(try await sell(staff, ["holderName": "X", "paymentMethod": "bitcoin"]).status == .badRequest)

            let ticket = try #require(online.body["tickets[0].id"]?.string)
            let cancelled = try await client.call(.post, "/tickets/\(ticket)/cancel", token: ada.token)
            #expect(cancelled.body["refundMethod"] == "online" && cancelled.body["cancelledBy"]?.string == ada.id)
            #expect(cancelled.body["cancelledOn"]?.string == node.store.nodeID)

            // The node's days are UTC here: the sale's own day.
            let day = try #require(cash.body["tickets[0].soldAt"]?.string?.prefix(10)).description
            let report = try await client.call(.get, "/reports/settlement.json?date=\(day)", token: organizer)
            #expect(report.status == .ok)
            #expect(report.body["date"]?.string == day && report.body["computedBy"]?.string == node.store.nodeID)
            let totals = try #require(report.body["totals"])
            #expect(totals["sold"] == 4 && totals["cancelled"] == 1 && totals["oversold"] == 0)
            let takings = totals["takings"]?.array ?? []
            func net(_ method: String) -> String? { takings.first { $0["method"]?.string == method }?["net.amount"]?.string }
            #expect(net("cash") == "25.50" && net("card") == "25.50" && net("comp") == "0.00", "\(takings)")
            #expect(net("online") == "0.00", "sold and refunded the same day")
            #expect(takings.first { $0["method"] == "cash" }?["net.minorUnits"] == 2_550)
            #expect(report.body["nodes[0].events[0].eventName"] == "Jazz Night")

            #expect(try await client.call(.get, "/reports/settlement.json", token: ada.token).status == .forbidden)
            #expect(try await client.call(.get, "/reports/settlement.json?date=2030-02-30", token: staff).status == .badRequest)
            let csv = try await client.execute(uri: "/reports/settlement.csv?date=\(day)", method: .get, headers: [.authorization: "Bearer \(staff)"])
            {
                ($0.status, $0.headers[.contentType], String(buffer: $0.body))
            }
            #expect(csv.0 == .ok && csv.1 == "text/csv; charset=utf-8")
            let lines = csv.2.split(separator: "\r\n")
            #expect(lines.first?.hasPrefix("date,node,eventId,event,sold,cancelled,oversold") == true, "\(csv.2)")
            #expect(lines.contains { $0.hasPrefix("\(day),all nodes,,all events,4,1,0,") }, "\(csv.2)")

            var browser = WebBrowser(client)
            _ = try await browser.login("sam@venue.test", "staff-pw-1")
            let page = try await browser.get("/web/reports/settlement?date=\(day)")
            #expect(page.status == .ok && page.html.contains("Jazz Night") && page.html.contains("Cash EUR"))
            #expect(page.html.contains("/web/reports/settlement.csv?date=\(day)"))
            let download = try await browser.get("/web/reports/settlement.csv?date=\(day)")
            #expect(download.status == .ok && download.html.hasPrefix("date,node,eventId"), "the page's CSV link works with its session")
        }
    }

    @Test func aTillClosedShortShowsExpectedCountedAndTheDifference() async throws {
        try await TestNode.run { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let staff = try await client.login("sam@venue.test", "staff-pw-1")
            let event = try await client.createEvent(token: organizer)
            let opened = try await client.call(.post, "/tills", token: staff, json: ["float": 100, "currency": "eur"])
            #expect(opened.status == .created)
            #expect(opened.body["float.minorUnits"] == 10_000 && opened.body["float.currency"] == "EUR")
            let id = try #require(opened.body["id"]?.string)
            #expect(
                try await client.call(.post, "/tills", token: staff, json: ["float": 50, "currency": "EUR"]).status == .conflict,
                "one open drawer each"
            )
            #expect(try await client.call(.post, "/tills", token: organizer, json: ["float": 1.005, "currency": "EUR"]).status == .badRequest)

            for holder in ["A", "B"] {
                let sale = try await client.call(
                    .post,
                    "/tickets",
                    token: staff,
                    json: ["eventId": .string(event), "quantity": 1, "holderName": .string(holder)]
                )
                #expect(sale.status == .created)
            }
            let card = try await client.call(
                .post,
                "/tickets",
                token: staff,
                json: ["eventId": .string(event), "quantity": 1, "holderName": "C", "paymentMethod": "card"]
            )
            #expect(card.status == .created)
            // 100.00 + 2 × 25.50 in cash = 151.00 expected; 149.00 counted.
            let closed = try await client.call(.post, "/tills/\(id)/close", token: staff, json: ["counted": 149])
            #expect(closed.status == .ok)
            #expect(closed.body["expected.amount"] == "151.00" && closed.body["counted.amount"] == "149.00")
            #expect(closed.body["difference.minorUnits"] == -200 && closed.body["difference.amount"] == "-2.00")
            #expect(try await client.call(.post, "/tills/\(id)/close", token: staff, json: ["counted": 151]).status == .conflict)
            let listed = try await client.call(.get, "/tills", token: staff)
            #expect(listed.body["tills[0].id"]?.string == id && listed.body["tills[0].difference.amount"] == "-2.00")
        }
    }
}
