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
        #expect(lines.first?.hasPrefix("AGE") == true && lines.first?.contains("WHAT HAPPENED") == true)
        #expect(lines.allSatisfy { $0.count <= 100 }, "the table fits 100 columns:\n\(table.standardOutput)")
        #expect(table.standardOutput.contains("Event Gig was changed at venue-"), "the event's name, not its id")
        #expect(table.standardOutput.contains("resolve"), "the action to take")
        #expect(table.standardOutput.contains("1 conflict, 1 open"))
        let wide = try ChildProcess("boxoffice", ["conflicts", "--data", directory.path, "--wide"])
        #expect(wide.waitForExit() == 0)
        #expect(wide.standardOutput.contains("concurrent-edit") && wide.standardOutput.contains("(location) stands."), "--wide keeps each line whole")
        let byName = try ChildProcess("boxoffice", ["conflicts", "--data", directory.path, "--event", "gi"])
        #expect(byName.waitForExit() == 0)
        #expect(byName.standardOutput.contains("1 conflict"))
        let otherEvent = try ChildProcess("boxoffice", ["conflicts", "--data", directory.path, "--event", "opera"])
        #expect(otherEvent.waitForExit() == 0)
        #expect(otherEvent.standardOutput.contains("no conflicts"))

        let check = try ChildProcess("boxoffice", ["conflicts", "--data", directory.path, "--check"])
        #expect(check.waitForExit() == 1)
        let json = try ChildProcess("boxoffice", ["conflicts", "--data", directory.path, "--json"])
        #expect(json.waitForExit() == 0)
        let entry = try JSONValue(parsing: Data(json.standardOutput.utf8))
        #expect(entry["[0].eventId"] == "e-gig" && entry["[0].eventName"] == "Gig")
        #expect(entry["[0].action"] == "resolve")
        #expect(entry["[0].loserDocument.body.location"] != nil, "the losing version is an object, not a string of JSON")
        let resolvedOnly = try ChildProcess("boxoffice", ["conflicts", "--data", directory.path, "--state", "resolved", "--check"])
        #expect(resolvedOnly.waitForExit() == 0)
        #expect(resolvedOnly.standardOutput.contains("no conflicts"))
    }
}
