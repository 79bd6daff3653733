import BoxofficeVenue
import Foundation
import HummingbirdTesting
import Testing

@testable import BoxofficeServer

/// Signing in from the pages: where the browser goes afterwards.
@Suite struct WebAccountPageTests {
    @Test func afterSigningInTheBrowserStaysOnThisSite() async throws {
        for unsafe in [
            "/\t/evil.example", "/\n/evil.example", "//evil.example", "/\\evil.example", "https://evil.example", "evil", "/a b", "/x\u{7f}", "",
        ] {
            #expect(WebAccountRoutes.safeNext(unsafe) == "/", "\(unsafe.debugDescription)")
        }
        for safe in ["/", "/web/profile", "/web/events/e-1?x=1", "/conflicts"] {
            #expect(WebAccountRoutes.safeNext(safe) == safe)
        }
        try await TestNode.run { _, client in
            var browser = WebBrowser(client)
            _ = try await browser.get("/web/login")
            let tab = try await browser.post("/web/login", ["email": "olga@venue.test", "password": "organizer-pw", "next": "/\t/evil.example"])
            #expect(tab.location == "/")
        }
    }

    @Test func anAnonymousHoldSignsInAndComesBackToTheEventPage() async throws {
        try await TestNode.run { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let event = try await client.createEvent(token: organizer)
            _ = try await client.register("Ada", "ada@example.com")
            var browser = WebBrowser(client)
            _ = try await browser.get("/web/events/\(event)")
            let hold = try await browser.post("/web/events/\(event)/hold", ["quantity": "2"])
            #expect(hold.status == .seeOther)
            let login = try #require(hold.location)
            #expect(login == "/web/login?next=" + WebBrowser.encode("/web/events/\(event)"), "back to a page with a GET, not to the form's target")
            let form = try await browser.get(login)
            #expect(form.html.contains("name=\"next\" value=\"/web/events/\(event)\""))
            let signedIn = try await browser.post(
                "/web/login",
                ["email": "ada@example.com", "password": "attendee-pw", "next": "/web/events/\(event)"]
            )
            #expect(signedIn.location == "/web/events/\(event)")
            let page = try await browser.get("/web/events/\(event)")
            #expect(page.status == .ok && page.html.contains("Hold seats"))

            var stranger = WebBrowser(client)
            _ = try await stranger.get("/web/events/\(event)")
            #expect(try await stranger.post("/web/notifications/n-1/read").location == "/web/login?next=%2F", "no page of its own: home")
        }
    }
}
