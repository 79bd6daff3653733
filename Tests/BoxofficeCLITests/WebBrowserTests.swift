import BoxofficeTestSupport
import Foundation
import Testing

/// The pages in real headless Chromium, driven by Playwright (Tests/browser/checkout.py); both
/// are installed by `make test`'s bootstrap.
@Suite struct WebBrowserTests {
    @Test func anAttendeeBuysTwoAndTheDoorAdmitsOnce() async throws {
        let temporary = TemporaryDirectory("browser")
        defer { temporary.remove() }
        let data = temporary.file("node")
        for (email, role, password) in [("olga@venue.test", "organizer", "organizer-pw"), ("sam@venue.test", "staff", "staff-pw-1")] {
            let add = try ChildProcess(
                "boxoffice",
                ["user", "add", "--data", data, "--email", email, "--name", role, "--password", password, "--role", role]
            )
            #expect(add.waitForExit() == 0, "user add failed: \(add.standardError)")
        }
        let node = try RunningNode(data: data)
        defer { #expect(node.stop() == 0) }
        let client = HTTPTestClient(port: node.port)
        let organizer = try #require(
            try await client.call(.post, "/users/login", json: ["email": "olga@venue.test", "password": "organizer-pw"]).body["token"]?.string
        )
        let created = try await client.call(
            .post,
            "/events",
            token: organizer,
            json: ["name": "Harbour Lights", "date": "2031-07-04T20:00:00Z", "location": "Pier 3", "capacity": 40, "price": 12, "currency": "EUR"]
        )
        #expect(created.status == .created)

        let (status, printed) = try BrowserScript.run(
            "checkout.py",
            ["http://127.0.0.1:\(node.port)", "Harbour Lights", "sam@venue.test", "staff-pw-1"]
        )
        #expect(status == 0, "the browser test failed (`make test` installs chromium and playwright):\n\(printed)")
        #expect(printed.contains("second scan: already checked in"))

        let after = try await client.call(.get, "/tickets/\(created.body["id"]?.string ?? "")", token: organizer)
        #expect(after.body["tickets"]?.array?.count == 2)
    }
}
