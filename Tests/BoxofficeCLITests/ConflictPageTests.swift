import BoxofficeTestSupport
import Foundation
import Testing

/// The conflict report page in real headless Chromium (Debian's `chromium` driven by Playwright,
/// installed by `make test`'s bootstrap): two nodes edit one event apart, sync, and the page shows
/// it to the organizer signed in on the pages, who acknowledges it there.
@Suite struct ConflictPageTests {
    @Test func chromiumRendersTheSeededConflict() async throws {
        let temporary = TemporaryDirectory("page")
        defer { temporary.remove() }
        let a = try await SyncTests.Node(temporary, "a")
        let b = try await SyncTests.Node(temporary, "b")
        defer { for node in [a, b] { node.running.stop() } }
        let event = try await a.createEvent("Jazz on the lawn")
        #expect(try SyncTests.sync(a, with: b).process.terminationStatus == 0)
        #expect(try await a.client.call(.patch, "/events/\(event)", token: a.organizer, json: ["location": "Garden"]).status == .ok)
        #expect(try await b.client.call(.patch, "/events/\(event)", token: b.organizer, json: ["location": "Cellar"]).status == .ok)
        #expect(try SyncTests.sync(a, with: b).process.terminationStatus == 0)

        let (status, dom) = try BrowserScript.run("conflicts.py", [a.url, "org@a.test", "organizer-pw"])
        #expect(status == 0, "the browser test failed (`make test` installs chromium and playwright):\n\(dom)")
        #expect(dom.contains("Conflict report"))
        #expect(dom.contains("concurrent-edit: 1"))
        #expect(dom.contains("Event Jazz on the lawn was changed at "), "a sentence with the event's name, not its id")
        #expect(dom.contains("Resolve with a note"), "the action to take")
        #expect(dom.contains("<tr class=\"diff\"><th>location</th>"), "the differing field is highlighted")
        #expect(dom.contains("Garden") && dom.contains("Cellar"), "both sides are shown")
        #expect(!dom.contains(a.organizer), "no access token in the page")
        #expect(dom.contains("acknowledged; back at \(a.url)/conflicts\n"))
        #expect(dom.contains("phone width: "), "the page fits a 390 px phone")
    }
}
