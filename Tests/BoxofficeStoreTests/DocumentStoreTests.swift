import BoxofficeCore
import BoxofficeStore
import BoxofficeTestSupport
import Foundation
import Testing

@Suite struct DocumentStoreTests {
    /// Group commit: 64 writers at once take fewer than 64 fdatasyncs. On a loaded machine the
    /// writers' tasks may start one by one, each after the last sync; so up to five rounds are
    /// tried, and one of them must share.
    @Test func concurrentWritersShareSyncs() async throws {
        try await withStore { _, store in
            var shared = false
            for round in 0..<5 where !shared {
                let before = await store.statistics().journalSyncs
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for writer in 0..<64 {
                        group.addTask { try await store.put("tickets", "t\(round)-\(writer)", body: body(writer)) }
                    }
                    try await group.waitForAll()
                }
                let statistics = await store.statistics()
                #expect(statistics.durableSeq == UInt64(64 * (round + 1)))
                shared = statistics.journalSyncs - before < 64
            }
            #expect(shared, "group commit should cover several writers per fdatasync")
        }
    }

    @Test func documentFilesAreReadableJSONOfTheCurrentVersion() async throws {
        try await withStore { directory, store in
            let first = try await store.put("events", "e1", body: body(1))
            await store.waitForDocumentFiles()
            let path = directory.documentFile(collection: "events", id: "e1")
            #expect(try bytes(of: path) == DocumentJSON.pretty(first))
            // A second version replaces the existing file (a new file takes another path).
            let current = try await store.put("events", "e1", body: body(2))
            await store.waitForDocumentFiles()
            let file = try bytes(of: path)
            #expect(file == DocumentJSON.pretty(current))
            #expect(try JSONValue(parsing: Data(file))["body.value"] == 2)
            let names = try FileManager.default.contentsOfDirectory(atPath: directory.documents + "/events")
            #expect(names == ["e1.json"], "no temporary file is left beside the document")
        }
    }

    @Test func aSecondOpenOfTheSameDirectoryIsRefusedWithTheHoldersPid() async throws {
        try await withStore { directory, _ in
            #expect(throws: StoreError.locked(directory: directory.path, holderPID: getpid())) {
                try DocumentStore.open(directory)
            }
        }
    }

    @Test func oneDirectoryIsOneNode() async throws {
        let temporary = TemporaryDirectory("node-id")
        defer { temporary.remove() }
        let directory = DataDirectory(temporary.file("data"))
        try await DocumentStore.open(directory, nodeID: "venue-a").close()
        let reopened = try DocumentStore.open(directory)  // nil keeps the stored id
        #expect(reopened.nodeID == "venue-a")
        await reopened.close()
        #expect(throws: StoreError.nodeIDMismatch(directory: directory.path, stored: "venue-a", requested: "venue-b")) {
            try DocumentStore.open(directory, nodeID: "venue-b")
        }
        #expect(throws: DocumentError.invalidIdentifier(field: "node id", value: "bad/id")) {
            try DocumentStore.open(DataDirectory(temporary.file("other")), nodeID: "bad/id")
        }
    }
}
