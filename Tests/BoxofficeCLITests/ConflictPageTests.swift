import BoxofficeTestSupport
import Foundation
import Testing

/// The conflict report page in real headless Chromium (Debian's `chromium`, installed by
/// `make test`'s bootstrap): two nodes edit one event apart, sync, and the page shows it.
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

        let dom = try Self.chromium(["--dump-dom", "\(a.url)/conflicts?token=\(a.organizer)"])
        #expect(dom.contains("Conflict report"))
        #expect(dom.contains("concurrent-edit: 1"))
        #expect(dom.contains("events/\(event)"))
        #expect(dom.contains("differs in location"))
        #expect(dom.contains("<tr class=\"diff\"><th>location</th>"), "the differing field is highlighted")
        #expect(dom.contains("Garden") && dom.contains("Cellar"), "both sides are shown")
        #expect(dom.contains("Acknowledge") && dom.contains("Resolve"))

        let signIn = try Self.chromium(["--dump-dom", "\(a.url)/conflicts"])
        #expect(signIn.contains("<form method=\"post\" action=\"/conflicts/sign-in\">"))
        let refused = try Self.chromium(["--dump-dom", "\(a.url)/conflicts?token=forged"])
        #expect(refused.contains("sign in again"))
    }

    /// Runs headless Chromium and returns what it printed.
    static func chromium(_ arguments: [String]) throws -> String {
        let binary = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
        let path = try #require(binary, "Debian's chromium is missing: `make test` installs it")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--virtual-time-budget=2000"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
