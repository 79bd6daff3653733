import BoxofficeServer
import BoxofficeSync
import BoxofficeVenue
import Foundation
import HummingbirdTesting
import Testing

/// The box office's and the organizer's pages: check-in, walk-in sale, today, event management,
/// the status strip, and who may open them.
@Suite struct WebStaffPageTests {
    @Test func checkInSaysAdmittedThenAlreadyCheckedInUnknownAndNotValid() async throws {
        try await TestNode.run { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let event = try await client.createEvent(token: organizer)
            let sold = try await client.call(.post, "/tickets", token: organizer, json: ["eventId": .string(event), "quantity": 2])
            let tickets = try #require(sold.body["tickets"]?.array)
            let code = try #require(tickets[0]["code"]?.string)
            var staff = WebBrowser(client)
            _ = try await staff.login("sam@venue.test", "staff-pw-1")
            let page = try await staff.get("/web/staff/checkin")
            #expect(page.status == .ok && page.html.contains("<label for=\"code\">Ticket code</label>"))
            #expect(page.html.contains("Node <strong>venue-a</strong>") && page.html.contains("no peers configured"))
            #expect(page.html.contains("<a href=\"/conflicts\">0 open conflicts</a>"))

            let first = try await staff.post("/web/staff/checkin", ["code": code.lowercased(), "gate": "North"])
            #expect(first.status == .ok && first.html.contains("<p>Admitted</p>"))
            #expect(first.html.contains("value=\"North\""), "the gate stays for the next scan")
            let second = try await staff.post("/web/staff/checkin", ["code": code, "gate": "South"])
            #expect(second.status == .conflict && second.html.contains("<p>Already checked in</p>"))
            #expect(second.html.contains("gate North on node venue-a"), "when and where the first scan was")
            let unknown = try await staff.post("/web/staff/checkin", ["code": "NOSUCHCODE"])
            #expect(unknown.status == .notFound && unknown.html.contains("<p>Unknown ticket</p>"))
            let cancelledID = try #require(tickets[1]["id"]?.string)
            #expect(try await client.call(.post, "/tickets/\(cancelledID)/cancel", token: organizer).status == .ok)
            let cancelled = try await staff.post("/web/staff/checkin", ["code": tickets[1]["code"]?.string ?? ""])
            #expect(cancelled.status == .gone && cancelled.html.contains("<p>Not valid</p>") && cancelled.html.contains("cancelled"))
            let garbage = try await staff.post("/web/staff/checkin", ["code": "<script>"])
            #expect(garbage.status == .badRequest && garbage.html.contains("Not a ticket code"))
        }
    }

    @Test func attendeesCannotOpenStaffPagesAndStaffCannotOpenOrganizerPages() async throws {
        try await TestNode.run { _, client in
            var attendee = WebBrowser(client)
            _ = try await attendee.register("Ada", "ada@example.com")
            for path in ["/web/staff/checkin", "/web/staff/sale", "/web/staff/today", "/web/organizer/events/new"] {
                let page = try await attendee.get(path)
                #expect(page.status == .forbidden, "\(path)")
                #expect(page.html.contains("You may not open this page"), "\(path)")
            }
            let scan = try await attendee.post("/web/staff/checkin", ["code": "ABC"])
            #expect(scan.status == .forbidden)
            var staff = WebBrowser(client)
            _ = try await staff.login("sam@venue.test", "staff-pw-1")
            #expect(try await staff.get("/web/staff/today").status == .ok)
            #expect(try await staff.get("/web/organizer/events/new").status == .forbidden)
        }
    }

    @Test func walkInSaleSellsOnceAndNamesTheMissingField() async throws {
        try await TestNode.run { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let event = try await client.createEvent(token: organizer, capacity: 10)
            var staff = WebBrowser(client)
            _ = try await staff.login("sam@venue.test", "staff-pw-1")
            let form = try await staff.get("/web/staff/sale")
            #expect(form.html.contains("Jazz Night") && form.html.contains("(10 left)"))
            // Past the first hundred events, the seller narrows the list by name.
            let ballet = try await client.createEvent(token: organizer, capacity: 5, name: "Harbour Ballet", date: "2030-04-01T20:00:00Z")
            let found = try await staff.get("/web/staff/sale?q=ballet")
            #expect(found.html.contains("Harbour Ballet") && !found.html.contains("Jazz Night") && found.html.contains("value=\"ballet\""))
            // A refused sale shows the chosen event still selected, so the next try sells that one.
            let foundKey = try #require(WebBrowser.first(#"name="key" value="([A-Z0-9]+)""#, in: found.html))
            let unnamed = try await staff.post(
                "/web/staff/sale",
                ["eventId": ballet, "quantity": "1", "holderName": "", "key": foundKey, "q": "ballet"]
            )
            #expect(unnamed.status == .badRequest && unnamed.html.contains("<option value=\"\(ballet)\" selected>"), "\(unnamed.html)")
            let key = try #require(WebBrowser.first(#"name="key" value="([A-Z0-9]+)""#, in: form.html))
            let fields = ["eventId": event, "quantity": "3", "holderName": "Walk In", "holderEmail": "walk@in.test", "key": key]
            let sold = try await staff.post("/web/staff/sale", fields)
            #expect(sold.status == .ok && sold.html.contains("Sold. Ticket codes:"))
            #expect(sold.html.components(separatedBy: "<li class=\"code\">").count == 4)
            _ = try await staff.post("/web/staff/sale", fields)
            #expect(try await client.call(.get, "/events/\(event)").body["sold"] == 3, "a form sent twice sells once")
            let nameless = try await staff.post("/web/staff/sale", ["eventId": event, "quantity": "1", "holderName": ""])
            #expect(nameless.status == .badRequest && nameless.html.contains("id=\"holderName-error\""))
            let oversold = try await staff.post("/web/staff/sale", ["eventId": event, "quantity": "8", "holderName": "Walk In"])
            #expect(oversold.status == .conflict && oversold.html.contains("id=\"quantity-error\""), "409 as the API answers, not a fixed 400")
        }
    }

    @Test func todayShowsSoldHeldRemainingAndCheckedIn() async throws {
        let clock = TestClock()
        try await TestNode.run(now: clock.now) { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            // The injected clock reads 2030-03-17 17:46:40 UTC; tests run in UTC or close to it.
            let event = try await client.createEvent(token: organizer, capacity: 10, name: "Tonight", date: "2030-03-17T20:00:00Z")
            _ = try await client.createEvent(token: organizer, capacity: 10, name: "Next Month", date: "2030-04-17T20:00:00Z")
            let sold = try await client.call(.post, "/tickets", token: organizer, json: ["eventId": .string(event), "quantity": 3])
            let code = try #require(sold.body["tickets[0].code"]?.string)
            _ = try await client.call(.post, "/reservations", token: organizer, json: ["eventId": .string(event), "quantity": 2])
            _ = try await client.call(.post, "/tickets/\(code)/checkin", token: organizer)
            var staff = WebBrowser(client)
            _ = try await staff.login("sam@venue.test", "staff-pw-1")
            let today = try await staff.get("/web/staff/today")
            #expect(today.html.contains("Tonight") && !today.html.contains("Next Month"))
            #expect(today.html.contains("<td>3</td><td>2</td><td>5</td><td>1</td>"), "sold, held, remaining, checked in")
        }
    }

    @Test func anOverbookEventsEditPageShowsItsPolicyAfterARefusedSave() async throws {
        try await TestNode.run { _, client in
            let token = try await client.login("olga@venue.test", "organizer-pw")
            let created = try await client.call(
                .post,
                "/events",
                token: token,
                json: [
                    "name": "Late Set", "date": "2031-05-01T20:00:00Z", "location": "Hall", "capacity": 10, "price": 5, "currency": "EUR",
                    "salesPolicy": "overbook",
                ]
            )
            let id = try #require(created.body["id"]?.string)
            var organizer = WebBrowser(client)
            _ = try await organizer.login("olga@venue.test", "organizer-pw")
            _ = try await organizer.get("/web/organizer/events/\(id)")
            let refused = try await organizer.post("/web/organizer/events/\(id)", ["capacity": "lots"])  // the disabled select posts nothing
            #expect(refused.status == .badRequest && refused.html.contains("<option value=\"overbook\" selected>"))
        }
    }

    @Test func organizersCreateEditTransferAndCancel() async throws {
        try await TestNode.run { node, client in
            var organizer = WebBrowser(client)
            _ = try await organizer.login("olga@venue.test", "organizer-pw")
            let blank = try await organizer.get("/web/organizer/events/new")
            #expect(blank.status == .ok && blank.html.contains("value=\"EUR\""))
            var fields = [
                "name": "Harbour Lights", "description": "Open air", "date": "2031-07-04T20:00", "location": "Pier 3", "capacity": "lots",
                "price": "12.50", "currency": "EUR", "salesPolicy": "escrow", "holdMinutes": "5",
            ]
            let wrong = try await organizer.post("/web/organizer/events/new", fields)
            #expect(wrong.status == .badRequest && wrong.html.contains("id=\"capacity-error\"") && wrong.html.contains("value=\"Harbour Lights\""))
            fields["capacity"] = "40"
            let created = try await organizer.post("/web/organizer/events/new", fields)
            let path = try #require(created.location)
            let id = String(path.split(separator: "/").last ?? "")
            let api = try await client.call(.get, "/events/\(id)")
            #expect(api.body["capacity"] == 40 && api.body["holdMinutes"] == 5 && api.body["price"] == 12.5)

            let manage = try await organizer.get(path)
            #expect(manage.html.contains("Node <strong>venue-a</strong>"), "the status strip")
            #expect(manage.html.contains("<td>venue-a</td><td>40</td><td>0</td><td>0.00 EUR</td>"), "seats and sales by node")
            #expect(manage.html.contains("name=\"salesPolicy\" disabled"), "the policy is fixed once the event exists")
            fields["capacity"] = "30"
            fields["price"] = "12,75"  // a decimal comma, as many venues type it
            let saved = try await organizer.post(path, fields)
            #expect(saved.html.contains("Saved.") && saved.html.contains("value=\"30\""))
            #expect(try await client.call(.get, "/events/\(id)").body["price"] == 12.75)
            let noSuchDay = try await organizer.post(path, fields.merging(["date": "2031-02-30T20:00"]) { $1 })
            #expect(noSuchDay.status == .badRequest && noSuchDay.html.contains("id=\"date-error\""), "30 February is not 2 March")
            for unclear in ["1,000.50", "12abc", "12."] {
                let refused = try await organizer.post(path, fields.merging(["price": unclear]) { $1 })
                #expect(refused.status == .badRequest && refused.html.contains("id=\"price-error\""), "\(unclear)")
            }
            // A form opened before a change made elsewhere saves only what the organizer changed in it.
            let opened = try await organizer.get(path)
            var was: [String: String] = [:]
            for field in ["name", "description", "date", "location", "capacity", "price", "currency", "holdMinutes"] {
                let value = try #require(WebBrowser.first(#"name="\#(field)_was" value="([^"]*)""#, in: opened.html), "\(field)_was")
                was[field + "_was"] = value
            }
            #expect(
                try await client.call(
                    .patch,
                    "/events/\(id)",
                    token: try await client.login("olga@venue.test", "organizer-pw"),
                    json: ["capacity": 36]
                ).status == .ok
            )
            var stale = fields.merging(was) { $1 }
            for (key, value) in was { stale[String(key.dropLast(4))] = value }  // the form as opened…
            stale["name"] = "Harbour Lights Live"  // …with only the name changed
            let renamed = try await organizer.post(path, stale)
            #expect(renamed.html.contains("Saved."))
            let after = try await client.call(.get, "/events/\(id)")
            #expect(after.body["name"] == "Harbour Lights Live" && after.body["capacity"] == 36, "\(after.body)")
            // The same stale form, with 2 seats added to what it showed (30 → 32): 36 + 2.
            stale["capacity"] = "32"
            #expect(try await organizer.post(path, stale).html.contains("Saved."))
            #expect(try await client.call(.get, "/events/\(id)").body["capacity"] == 38)

            let switched = try await organizer.post(path, fields.merging(["salesPolicy": "overbook"]) { $1 })
            #expect(switched.status == .conflict && switched.html.contains("sales policy is fixed"))
            // Seats go only to a node this one knows: a mistyped id would take them for good.
            let unknown = try await organizer.post(path + "/transfer", ["to": "venue-bb", "seats": "5"])
            #expect(unknown.status == .conflict && unknown.html.contains("id=\"to-error\"") && unknown.html.contains("not a node this one knows"))
            _ = try await VenueRules.localNode(node.store).apply([], checkpoint: Checkpoint(peer: "venue-b", seq: 1))  // synced once with venue-b
            let given = try await organizer.post(path + "/transfer", ["to": "venue-b", "seats": "5"])
            #expect(given.html.contains("Gave 5 seats to venue-b.") && given.html.contains("<td>venue-b</td><td>5</td>"))
            let tooMany = try await organizer.post(path + "/transfer", ["to": "venue-b", "seats": "500"])
            #expect(tooMany.status == .conflict && tooMany.html.contains("id=\"seats-error\""), "the status the API gives the same error")
            let cancelled = try await organizer.post(path + "/cancel")
            #expect(cancelled.html.contains("The event is cancelled"))
            #expect(try await client.call(.get, "/events/\(id)").body["status"] == "cancelled")
        }
    }
}

/// The status strip with a configured peer, and the conflict report it links to.
@Suite struct WebStatusStripTests {
    @Test func staffPagesShowEachPeerAndLinkToTheConflictReport() async throws {
        try await TestNode.run(peers: ["http://127.0.0.1:9"]) { _, client in
            var staff = WebBrowser(client)
            _ = try await staff.login("sam@venue.test", "staff-pw-1")
            let today = try await staff.get("/web/staff/today")
            #expect(today.html.contains("<span class=\"offline\">http://127.0.0.1:9: offline, lag unknown</span>"))
            let report = try await staff.get("/conflicts")
            #expect(report.status == .ok && report.html.contains("Conflict report") && !report.html.contains("token"), "the session signs in")
            var attendee = WebBrowser(client)
            _ = try await attendee.register("Ada", "ada@example.com")
            #expect(!(try await attendee.get("/web/tickets")).html.contains("class=\"strip\""), "attendee pages have no strip")
            #expect(try await attendee.get("/conflicts").status == .forbidden)
        }
    }
}
