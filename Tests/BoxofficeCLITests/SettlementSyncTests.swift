import BoxofficeTestSupport
import Foundation
import Testing

/// The settlement across real nodes: two venues sell apart through a night, sync, and each then
/// shows both venues' figures, the same to the minor unit.
@Suite struct SettlementSyncTests {
    @Test func everyNodeShowsTheSameSettlementAfterAPartitionedNight() async throws {
        let temporary = TemporaryDirectory("settlement")
        defer { temporary.remove() }
        let a = try await SyncTests.Node(temporary, "a")
        let b = try await SyncTests.Node(temporary, "b")
        defer { for node in [a, b] { node.running.stop() } }
        let event = try await a.createEvent("Night Gala", with: ["salesPolicy": "overbook"])
        #expect(try SyncTests.sync(a, with: b).process.terminationStatus == 0)

        // Apart: each venue sells at its counter.
        func sell(at node: SyncTests.Node, _ holder: String, _ method: String) async throws -> JSONValue {
            let sale = try await node.client.call(
                .post,
                "/tickets",
                token: node.organizer,
                json: ["eventId": .string(event), "quantity": 1, "holderName": .string(holder), "paymentMethod": .string(method)]
            )
            #expect(sale.status == .created, "\(sale.body)")
            return try #require(sale.body["tickets"]?.array?.first)
        }
        let first = try await sell(at: a, "Ann", "cash")
        _ = try await sell(at: a, "Ben", "cash")
        _ = try await sell(at: a, "Guest", "comp")
        _ = try await sell(at: b, "Cy", "card")
        let refunded = try await sell(at: b, "Di", "cash")
        let refund = try await b.client.call(.post, "/tickets/\(try #require(refunded["id"]?.string))/cancel", token: b.organizer)
        #expect(refund.body["refundMethod"] == "cash")
        #expect(try SyncTests.sync(a, with: b).process.terminationStatus == 0)

        // The day of the first sale in the venue's time zone, as the node reports it.
        let zoneName = try #require(try await a.client.call(.get, "/reports/settlement.json", token: a.organizer).body["timeZone"]?.string)
        let soldAt = try #require(
            first["soldAt"]?.string.flatMap { try? Date($0, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true)) }
        )
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: zoneName))
        let parts = calendar.dateComponents([.year, .month, .day], from: soldAt)
        let day = String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)

        var reports: [JSONValue] = []
        for node in [a, b] {
            let report = try await node.client.call(.get, "/reports/settlement.json?date=\(day)", token: node.organizer)
            #expect(report.status == .ok)
            reports.append(report.body)
        }
        #expect(reports[0]["computedBy"] != reports[1]["computedBy"])
        for part in ["nodes", "totals"] {
            let here = try #require(reports[0][part]).sortedJSON()
            let there = try #require(reports[1][part]).sortedJSON()
            #expect(here == there, "\(part) differ:\n\(String(decoding: here, as: UTF8.self))\n\(String(decoding: there, as: UTF8.self))")
        }
        let totals = try #require(reports[0]["totals"])
        #expect(totals["sold"] == 5 && totals["cancelled"] == 1)
        let takings = totals["takings"]?.array ?? []
        func net(_ method: String) -> String? { takings.first { $0["method"]?.string == method }?["net.amount"]?.string }
        #expect(net("cash") == "20.00" && net("card") == "10.00" && net("comp") == "0.00", "\(takings)")
        #expect(reports[0]["nodes"]?.array?.count == 2, "both venues' figures, synced")

        // The printable page, in real Chromium, at desktop and phone width.
        let (status, dom) = try BrowserScript.run("settlement.py", [b.url, "org@b.test", "organizer-pw", day])
        #expect(status == 0, "the browser test failed (`make test` installs chromium and playwright):\n\(dom)")
        #expect(dom.contains("Night Gala") && dom.contains("Cash EUR") && dom.contains("Whole venue"))
        #expect(dom.contains("phone width: "), "the page fits a 390 px phone")
    }
}
