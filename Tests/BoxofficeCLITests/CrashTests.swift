import BoxofficeCore
import BoxofficeStore
import BoxofficeTestSupport
import Foundation
import Testing

/// Kills a real writer process with SIGKILL at random moments and checks that nothing it
/// reported as acknowledged is ever lost and that every document file it left parses.
@Suite struct CrashTests {
    @Test func acknowledgedWritesSurviveSIGKILL() async throws {
        let temporary = TemporaryDirectory("crash")
        defer { temporary.remove() }
        let data = temporary.file("data")
        var random = SeededRandom()
        print("crash test seed: \(random.seed) (BOXOFFICE_TEST_SEED replays it)")

        var acknowledged: [String: HLC] = [:]  // id → the version the writer was told is durable
        let cycles = 24
        for cycle in 0..<cycles {
            let writer = try ChildProcess("boxoffice-bench", ["crash-writer", "--data", data, "--run", "c\(cycle)"])
            // Mostly after start-up, sometimes during recovery itself.
            if Int.random(in: 0..<4, using: &random) > 0 {
                #expect(writer.waitForOutput(containing: "ready\n"), "writer \(cycle) did not start: \(writer.standardError)")
            }
            try await Task.sleep(for: .milliseconds(Int.random(in: 0...250, using: &random)))  // the random moment of the crash
            writer.kill(SIGKILL)
            writer.waitForExit()
            for line in writer.standardOutput.split(separator: "\n") where line.hasPrefix("ack ") {
                let fields = line.split(separator: " ")
                guard fields.count == 3, let hlc = HLC(fields[2]) else { continue }  // a line cut by the kill
                acknowledged[String(fields[1])] = max(acknowledged[String(fields[1])] ?? .zero, hlc)
            }
            try expectEveryDocumentFileParses(DataDirectory(data), cycle: cycle)
        }
        #expect(acknowledged.count > 100, "the writers should have had time to write")

        let store = try DocumentStore.open(DataDirectory(data))
        for (id, hlc) in acknowledged {
            let document = try await store.get("crash", id)
            #expect(document != nil, "acknowledged document \(id) is missing")
            if let document { #expect(document.version.hlc >= hlc, "\(id) went back to an older version") }
        }
        #expect(!store.recovery.lostVersions)
        await store.waitForDocumentFiles()
        let audit = await store.auditFiles()
        #expect(audit.rebuilt.isEmpty && audit.missing == 0 && audit.strays.isEmpty, "files after recovery: \(audit)")
        #expect(audit.verified == store.recovery.documents)
        await store.close()
    }

    private func expectEveryDocumentFileParses(_ directory: DataDirectory, cycle: Int) throws {
        let folder = directory.documents + "/crash"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where name.hasSuffix(".json") {
            let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
            let parsed = try? JSONValue(parsing: data)
            #expect(parsed?["id"]?.string == String(name.dropLast(5)), "cycle \(cycle): \(name) does not parse")
        }
    }
}
