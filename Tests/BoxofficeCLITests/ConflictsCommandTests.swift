import BoxofficeCore
import BoxofficeStore
import BoxofficeSync
import BoxofficeTestSupport
import Foundation
import Testing

/// `boxoffice conflicts`: the table, JSON, filters and --check, on a stopped node's directory.
@Suite struct ConflictsCommandTests {
    @Test func theReportShowsOpenConflictsAndCheckFailsOnThem() async throws {
        let temporary = TemporaryDirectory("conflicts-cli")
        defer { temporary.remove() }
        let directory = DataDirectory(temporary.file("a"))
        let a = try DocumentStore.open(directory, nodeID: "venue-a")
        let b = try DocumentStore.open(DataDirectory(temporary.file("b")), nodeID: "venue-b")
        let original = try await a.put("events", "e-gig", body: try JSONBody(encoding: ["name": "Gig", "location": "Hall"]))
        _ = try await LocalNode(store: b).apply([original], checkpoint: nil)
        try await a.put("events", "e-gig", body: try JSONBody(encoding: ["name": "Gig", "location": "Garden"]))
        let atB = try await b.put("events", "e-gig", body: try JSONBody(encoding: ["name": "Gig", "location": "Cellar"]))
        #expect(try await LocalNode(store: a).apply([atB], checkpoint: nil).conflicts == 1)
        await a.close()
        await b.close()

        let table = try ChildProcess("boxoffice", ["conflicts", "--data", directory.path])
        #expect(table.waitForExit() == 0, "\(table.standardError)")
        let lines = table.standardOutput.split(separator: "\n")
        #expect(lines.first?.hasPrefix("KIND") == true && lines.first?.contains("WHAT HAPPENED") == true)
        #expect(table.standardOutput.contains("concurrent-edit"))
        #expect(table.standardOutput.contains("events/e-gig edited apart (location)"))
        #expect(table.standardOutput.contains("1 conflict, 1 open"))

        let check = try ChildProcess("boxoffice", ["conflicts", "--data", directory.path, "--check"])
        #expect(check.waitForExit() == 1)
        let json = try ChildProcess("boxoffice", ["conflicts", "--data", directory.path, "--json"])
        #expect(json.waitForExit() == 0)
        #expect(try JSONValue(parsing: Data(json.standardOutput.utf8))["[0].conflict.eventId"] == "e-gig")
        let resolvedOnly = try ChildProcess("boxoffice", ["conflicts", "--data", directory.path, "--state", "resolved", "--check"])
        #expect(resolvedOnly.waitForExit() == 0)
        #expect(resolvedOnly.standardOutput.contains("no conflicts"))
    }
}
