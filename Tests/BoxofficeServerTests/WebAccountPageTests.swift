import Foundation
import HummingbirdTesting
import Testing

@testable import BoxofficeServer

/// Signing in from the pages: where the browser goes afterwards.
@Suite struct WebAccountPageTests {
    @Test func afterSigningInTheBrowserStaysOnThisSite() async throws {
        for unsafe in ["/\t/evil.example", "/\n/evil.example", "//evil.example", "/\\evil.example", "https://evil.example", "evil", "/a b", "/x\u{7f}", ""] {
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
}
