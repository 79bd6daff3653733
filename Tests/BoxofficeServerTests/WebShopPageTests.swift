import BoxofficeVenue
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BoxofficeServer

/// The buyer's pages: events, checkout as hold → confirm, tickets, account, and what guards them.
@Suite struct WebShopPageTests {
    @Test func theHomePageListsSearchesAndMarksSoldOut() async throws {
        try await TestNode.run { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let jazz = try await client.createEvent(token: organizer, capacity: 2, name: "Jazz <Night>")
            _ = try await client.createEvent(token: organizer, capacity: 9, name: "Poetry Slam", date: "2030-07-01T19:00:00Z")
            #expect(try await client.call(.post, "/tickets", token: organizer, json: ["eventId": .string(jazz), "quantity": 2]).status == .created)
            var browser = WebBrowser(client)
            let home = try await browser.get("/")
            #expect(home.status == .ok)
            #expect(home.headers[.contentType] == "text/html; charset=utf-8")
            #expect(home.html.contains("Jazz &lt;Night&gt;"), "text is escaped")
            #expect(home.html.contains("Sold out"))
            #expect(home.html.contains("9 seats left"))
            let search = try await browser.get("/?q=poetry")
            #expect(search.html.contains("Poetry Slam") && !search.html.contains("Jazz"))
            let dated = try await browser.get("/?from=2030-06-15&to=2030-07-01")
            #expect(dated.html.contains("Poetry Slam") && !dated.html.contains("Jazz"))
            let bad = try await browser.get("/?from=June")
            #expect(bad.status == .ok && bad.html.contains("Dates are written like 2030-06-01."))
            let css = try await browser.get("/web/style.css")
            #expect(css.headers[.contentType] == "text/css; charset=utf-8")
        }
    }

    @Test func pagesRunOnlyTheNodesOwnScriptAndCannotBeFramed() async throws {
        try await TestNode.run { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let event = try await client.createEvent(token: organizer, capacity: 5, name: "Harbour Lights")
            var browser = WebBrowser(client)
            for path in ["/", "/web/events/\(event)", "/web/no-such-page"] {
                let page = try await browser.get(path)
                let policy = page.headers[.contentSecurityPolicy] ?? ""
                #expect(policy.contains("script-src 'self'") && policy.contains("frame-ancestors 'none'"), "\(path): \(policy)")
                #expect(page.headers[.xContentTypeOptions] == "nosniff" && page.headers[.init("Referrer-Policy")!] == "same-origin")
                // Invariant of the policy: no inline script, which it would block.
                #expect(!page.html.contains("<script>"), "\(path) holds an inline script")
            }
            let eventPage = try await browser.get("/web/events/\(event)")
            #expect(eventPage.html.contains(#"<script src="/web/app.js" defer></script>"#) && eventPage.html.contains("data-live-event=\"\(event)\""))
            let script = try await browser.get("/web/app.js")
            #expect(
                script.status == .ok && script.headers[.contentType] == "text/javascript; charset=utf-8" && script.html.contains("data-live-event")
            )
            let api = try await client.call(.get, "/events")
            #expect(api.headers[.xContentTypeOptions] == "nosniff" && api.headers[.contentSecurityPolicy] == nil, "JSON is not a page")
        }
    }

    @Test func aNodeWithoutSeatsOfItsOwnIsNotSoldOutAndARefusedHoldAsksForSeats() async throws {
        let demand = SeatDemand()
        try await TestNode.run(demand: demand) { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let created = try await client.call(
                .post,
                "/events",
                token: organizer,
                json: [
                    "name": "Elsewhere", "date": "2030-06-01T20:00:00Z", "location": "Hall", "capacity": 10, "price": 5, "currency": "EUR",
                    "allocations": ["venue-a": 0, "venue-b": 10],
                ]
            )
            let event = try #require(created.body["id"]?.string)
            var browser = WebBrowser(client)
            _ = try await browser.register("Ada", "ada@example.com")
            let home = try await browser.get("/")
            #expect(!home.html.contains("Sold out") && home.html.contains("10 seats left"))
            #expect(home.html.contains("0 sold · 0 held · 10 remaining"), "held beside sold and remaining")
            let page = try await browser.get("/web/events/\(event)")
            #expect(!page.html.contains("Sold out") && page.html.contains("Hold seats"), "seats are left elsewhere: the form stays")
            #expect(page.html.contains("<td id=\"held\">0</td>") && page.html.contains("<td id=\"seats-here\">0</td>"))
            let refused = try await browser.post("/web/events/\(event)/hold", ["quantity": "2"])
            #expect(refused.status == .conflict)
            #expect(refused.html.contains("this box office has no seats left right now; try again in a moment"))
            #expect(demand.rate(of: event, at: Date()).refused > 0, "the refusal is demand: the node asks its peers for seats")
        }
    }

    @Test func searchCoversEveryEventAndTheHomePageHasMore() async throws {
        try await TestNode.run { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            for day in 1...(WebShopRoutes.pageSize + 60) {
                let date = Date(timeIntervalSince1970: 1_900_000_000 + Double(day) * 86_400).formatted(.iso8601)
                _ = try await client.createEvent(token: organizer, capacity: 5, name: "Gig \(day)", date: date)
            }
            _ = try await client.createEvent(token: organizer, capacity: 5, name: "Poetry Slam", date: "2031-01-01T19:00:00Z")
            var browser = WebBrowser(client)
            let search = try await browser.get("/?q=poetry")
            #expect(search.html.contains("Poetry Slam"), "the 111th event is found: the name is matched before the limit")
            #expect(!search.html.contains("More events"))
            let first = try await browser.get("/")
            #expect(first.html.components(separatedBy: "<li class=\"card\">").count == WebShopRoutes.pageSize + 1)
            let more = try #require(WebBrowser.first(#"<a href="([^"]+)">More events</a>"#, in: first.html))
            let second = try await browser.get(more.replacingOccurrences(of: "&amp;", with: "&"))
            #expect(second.html.contains("Gig \(WebShopRoutes.pageSize + 1)<") && !second.html.contains("Gig 1<"))
            let gigs = try await browser.get("/?q=gig")
            let next = try #require(WebBrowser.first(#"<a href="([^"]+)">More events</a>"#, in: gigs.html))
            #expect(next.hasPrefix("/?q=gig&amp;cursor="), "the next page keeps the search")
        }
    }

    @Test func pagesLiveBesideTheAPIWhichAnswersJSONAsBefore() async throws {
        try await TestNode.run { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let event = try await client.createEvent(token: organizer)
            var browser = WebBrowser(client)
            let page = try await browser.get("/web/events/\(event)")
            #expect(page.status == .ok && page.html.contains("Jazz Night"))
            for path in ["/events/\(event)", "/events", "/api/events/\(event)"] {
                let json = try await client.execute(uri: path, method: .get, headers: [.accept: "text/html"]) { $0 }
                #expect(json.headers[.contentType]?.hasPrefix("application/json") == true, "\(path) stays JSON even for a browser")
            }
            let missing = try await browser.get("/web/events/e-missing")
            #expect(missing.status == .notFound && missing.html.contains("no event with id"))
            let nowhere = try await browser.get("/web/nowhere")
            #expect(nowhere.status == .notFound && nowhere.html.contains("<h1>Not found</h1>") && nowhere.html.contains("no page with id"))
        }
    }

    @Test func registerHoldConfirmAndSeeTheTickets() async throws {
        let clock = TestClock()
        try await TestNode.run(now: clock.now) { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let event = try await client.createEvent(token: organizer, capacity: 5)
            var browser = WebBrowser(client)
            let registered = try await browser.register("Ada", "ada@example.com")
            #expect(registered.status == .seeOther)
            let cookie = try #require(registered.headers[.setCookie])
            #expect(cookie.hasPrefix("boxoffice_session=") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))

            _ = try await browser.get("/web/events/\(event)")
            let held = try await browser.post("/web/events/\(event)/hold", ["quantity": "2"])
            #expect(held.status == .seeOther)
            let holdPath = try #require(held.location)
            clock.advance(minutes: 3)
            let holdPage = try await browser.get(holdPath)
            #expect(holdPage.html.contains("2 seats held"))
            #expect(holdPage.html.contains("7 min left"))
            #expect(try await client.call(.get, "/events/\(event)").body["held"] == 2)
            let confirmed = try await browser.post(holdPath + "/confirm")
            #expect(confirmed.status == .seeOther && confirmed.location == "/web/tickets")
            let tickets = try await browser.get("/web/tickets")
            #expect(tickets.html.components(separatedBy: "class=\"code\"").count == 3, "two tickets with large codes")
            #expect(tickets.html.contains("aria-label=\"1 unread\""), "the purchase notification is counted on every page")
        }
    }

    @Test func anExpiredHoldSaysSoAndCannotBeConfirmed() async throws {
        let clock = TestClock()
        try await TestNode.run(now: clock.now) { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let event = try await client.createEvent(token: organizer, capacity: 5)
            var browser = WebBrowser(client)
            _ = try await browser.register("Ada", "ada@example.com")
            _ = try await browser.get("/web/events/\(event)")
            let holdPath = try #require(try await browser.post("/web/events/\(event)/hold", ["quantity": "1"]).location)
            _ = try await browser.get(holdPath)
            clock.advance(minutes: 11)
            let late = try await browser.post(holdPath + "/confirm")
            #expect(late.status == .gone)
            #expect(late.html.contains("expired at"))
            #expect(late.html.contains("no longer held"))
            let tooMany = try await browser.post("/web/events/\(event)/hold", ["quantity": "6"])
            #expect(tooMany.status == .conflict)
            #expect(tooMany.html.contains("id=\"quantity-error\""), "the error is next to the field")
            let typo = try await browser.post("/web/events/\(event)/hold", ["quantity": "lots"])
            #expect(typo.status == .badRequest && typo.html.contains("whole number"), "400 as the API answers, not a fixed 409")
        }
    }

    @Test func releasingGivesTheSeatsBackAndTheHoldPageSaysSo() async throws {
        try await TestNode.run { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let event = try await client.createEvent(token: organizer, capacity: 3)
            var browser = WebBrowser(client)
            _ = try await browser.register("Ada", "ada@example.com")
            _ = try await browser.get("/web/events/\(event)")
            let holdPath = try #require(try await browser.post("/web/events/\(event)/hold", ["quantity": "3"]).location)
            #expect(try await browser.get("/web/events/\(event)").html.contains("Sold out"), "held seats are not for sale")
            let released = try await browser.post(holdPath + "/release")
            #expect(released.status == .seeOther && released.location == "/web/events/\(event)")
            #expect(try await browser.get("/web/events/\(event)").html.contains("<td id=\"seats-left\">3</td>"))
            #expect(try await browser.get(holdPath).html.contains("no longer held"))
            var stranger = WebBrowser(client)
            _ = try await stranger.register("Bob", "bob@example.com")
            #expect(try await stranger.get(holdPath).status == .forbidden, "another buyer's hold is not shown")
        }
    }

    @Test func formsWithoutAValidCSRFTokenAreRefused() async throws {
        try await TestNode.run { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let event = try await client.createEvent(token: organizer)
            var browser = WebBrowser(client)
            _ = try await browser.register("Ada", "ada@example.com")
            _ = try await browser.get("/web/events/\(event)")
            for token in ["", "forged", String(repeating: "0", count: 64)] {
                let refused = try await browser.post("/web/events/\(event)/hold", ["quantity": "1"], csrf: token)
                #expect(refused.status == .forbidden)
                #expect(refused.html.contains("came from another site"))
            }
            #expect(try await client.call(.get, "/events/\(event)").body["held"] == 0)
            var stranger = WebBrowser(client)
            let noCookie = try await stranger.post("/web/login", ["email": "olga@venue.test", "password": "organizer-pw"], csrf: browser.csrf)
            #expect(noCookie.status == .forbidden, "a token is only good with the browser's own cookie")
        }
    }

    @Test func protectedPagesSendToLoginAndBack() async throws {
        try await TestNode.run { _, client in
            var browser = WebBrowser(client)
            for path in ["/web/tickets", "/web/notifications", "/web/profile", "/web/holds/h-x", "/web/staff/checkin", "/web/organizer/events/new"] {
                let page = try await browser.get(path)
                #expect(page.status == .seeOther, "\(path)")
                #expect(page.location?.hasPrefix("/web/login?next=") == true, "\(path)")
            }
            let login = try await browser.get("/web/login?next=%2Fweb%2Fprofile")
            #expect(login.html.contains("name=\"next\" value=\"/web/profile\""))
            let wrong = try await browser.post("/web/login", ["email": "olga@venue.test", "password": "nope-nope", "next": "/web/profile"])
            #expect(wrong.status == .unauthorized && wrong.html.contains("id=\"password-error\""))
            let right = try await browser.post("/web/login", ["email": "olga@venue.test", "password": "organizer-pw", "next": "/web/profile"])
            #expect(right.location == "/web/profile")
            let offsite = try await browser.post("/web/login", ["email": "olga@venue.test", "password": "organizer-pw", "next": "//evil.example"])
            #expect(offsite.location == "/")
            let profile = try await browser.get("/web/profile")
            #expect(profile.status == .ok && profile.html.contains("olga@venue.test"))
            _ = try await browser.post("/web/logout")
            #expect(try await browser.get("/web/profile").status == .seeOther)
        }
    }

    @Test func registrationErrorsStandNextToTheirFields() async throws {
        try await TestNode.run { _, client in
            var browser = WebBrowser(client)
            _ = try await browser.get("/web/register")
            let short = try await browser.post("/web/register", ["name": "Ada", "email": "ada@example.com", "password": "short"])
            #expect(short.status == .badRequest)
            #expect(short.html.contains("id=\"password-error\"") && short.html.contains("at most 72 bytes"))
            #expect(short.html.contains("value=\"ada@example.com\""), "what was typed stays")
            let taken = try await browser.post("/web/register", ["name": "Olga", "email": "olga@venue.test", "password": "long-enough"])
            #expect(taken.html.contains("id=\"email-error\""))
        }
    }

    @Test func notificationsShowTheUnreadCountAndMarkRead() async throws {
        try await TestNode.run { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let event = try await client.createEvent(token: organizer)
            var browser = WebBrowser(client)
            _ = try await browser.register("Ada", "ada@example.com")
            _ = try await browser.get("/web/events/\(event)")
            let hold = try #require(try await browser.post("/web/events/\(event)/hold", ["quantity": "1"]).location)
            _ = try await browser.get(hold)
            _ = try await browser.post(hold + "/confirm")
            let inbox = try await browser.get("/web/notifications")
            #expect(inbox.html.contains("1 ticket for Jazz Night"))
            #expect(inbox.html.contains("aria-label=\"1 unread\""))
            let id = try #require(WebBrowser.first(#"action="/web/notifications/([^/]+)/read""#, in: inbox.html))
            #expect(try await browser.post("/web/notifications/\(id)/read").status == .seeOther)
            #expect(try await browser.get("/web/notifications").html.contains("aria-label=\"0 unread\""))
        }
    }

    @Test func aPageThatCannotRenderIsAPlain500PageWithoutTheTemplateError() async throws {
        let renderer = try await PageRenderer.load()
        #expect(renderer.render("no-such-template", ["title": "x"]) == nil)
        let response = PageRenderer.response(nil, status: .ok)
        #expect(response.status == .internalServerError)
        #expect(response.headers[.contentType] == "text/html; charset=utf-8")
    }
}
