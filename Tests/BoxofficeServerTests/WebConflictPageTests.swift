import BoxofficeCore
import BoxofficeServer
import BoxofficeTestSupport
import BoxofficeVenue
import Foundation
import HummingbirdTesting
import Testing

/// The conflict report page: the session identifies staff, no token is ever in the page or a URL,
/// and its forms are page routes with the CSRF check.
@Suite struct WebConflictPageTests {
    @Test func staffHandleConflictsFromThePageWithoutATokenAnywhere() async throws {
        try await TestNode.run { node, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let event = try await client.createEvent(token: organizer)
            #expect(try await node.editConcurrently(event) == 1)
            var staff = WebBrowser(client)
            _ = try await staff.login("sam@venue.test", "staff-pw-1")
            let session = try #require(staff.cookies["boxoffice_session"])
            let report = try await staff.get("/conflicts")
            #expect(report.status == .ok && report.html.contains("concurrent-edit: 1"))
            #expect(!report.html.contains(session) && !report.html.contains("name=\"token\""), "the access token is nowhere in the page")
            let id = try #require(WebBrowser.first(#"action="/web/conflicts/([^/"]+)/acknowledge""#, in: report.html))

            let forged = try await staff.post("/web/conflicts/\(id)/acknowledge", csrf: "0000")
            #expect(forged.status == .forbidden && forged.headers[.contentType] == "text/html; charset=utf-8")
            let acknowledged = try await staff.post("/web/conflicts/\(id)/acknowledge")
            #expect(acknowledged.status == .seeOther && acknowledged.location == "/conflicts", "back to the report, no token in the URL")
            _ = try await staff.get("/conflicts")
            let resolved = try await staff.post("/web/conflicts/\(id)/resolve", ["note": "confirmed by phone"])
            #expect(resolved.location == "/conflicts")
            let record = try await client.call(.get, "/conflicts.json", token: organizer).body["conflicts"]?.array
            #expect(record?.first?["state"] == "resolved" && record?.first?["note"] == "confirmed by phone")

            var anonymous = WebBrowser(client)
            let away = try await anonymous.get("/conflicts?token=\(organizer)")
            #expect(away.status == .seeOther && away.location == "/web/login?next=%2Fconflicts", "a token in the URL signs no one in")
            _ = try await anonymous.get("/web/login")
            let post = try await anonymous.post("/web/conflicts/\(id)/acknowledge")
            #expect(post.status == .seeOther && post.location?.hasPrefix("/web/login?next=") == true, "never problem+json")
            anonymous.cookies["boxoffice_session"] = "expired.or.forged"
            #expect(try await anonymous.get("/conflicts").location == "/web/login?next=%2Fconflicts")
            let signIn = try await client.execute(
                uri: "/conflicts/sign-in",
                method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded"],
                body: .init(string: "email=sam%40venue.test&password=staff-pw-1")
            ) { $0.status }
            #expect(signIn == .notFound, "the report's own sign-in, without a CSRF check, is gone")
            var attendee = WebBrowser(client)
            _ = try await attendee.register("Ada", "ada@example.com")
            #expect(try await attendee.get("/conflicts").status == .forbidden)
        }
    }

    @Test func aDuplicateAccountShowsTheHolderStandingAndNoPasswordHash() async throws {
        try await TestNode.run { node, client in
            let holder = try await client.register("Eve at A", "eve@example.com")
            // The same email registered later on venue-b, arriving by sync.
            let local = try #require(try await node.store.get("users", holder.id))
            var body = try #require(try local.body.decode(JSONValue.self).object)
            body["name"] = "Eve at B"
            let hlc = HLC(wallMillis: local.version.hlc.wallMillis + 1_000, counter: 0)
            let later = Document(
                collection: "users",
                id: "u-eveatb",
                version: Version(hlc: hlc, node: "venue-b"),
                history: [],
                deleted: false,
                body: try JSONBody(encoding: body)
            )
            _ = try await VenueRules.localNode(node.store).apply([later], checkpoint: nil)

            var staff = WebBrowser(client)
            _ = try await staff.login("sam@venue.test", "staff-pw-1")
            let report = try await staff.get("/conflicts?kind=duplicate-email")
            #expect(report.html.contains("duplicate-email: 1"))
            #expect(!report.html.contains("passwordHash") && !report.html.contains("$2b$"), "no password hash on the page")
            let stands = try #require(
                report.html.range(of: "Stands").map { String(report.html[$0.lowerBound...]) }?.components(separatedBy: "</table>").first
            )
            #expect(stands.contains("Eve at A"), "the account that keeps the email stands")
        }
    }
}
