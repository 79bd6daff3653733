import BoxofficeCore
import BoxofficeStore
import BoxofficeTestSupport
import Foundation
import Testing

@Suite struct DocumentStoreTests {
    @Test func putGetAndDelete() async throws {
        try await withStore { _, store in
            let created = try await store.put("events", "e1", body: body(1))
            #expect(created.version.node == "node-a")
            #expect(created.history.isEmpty)
            let updated = try await store.put("events", "e1", body: body(2))
            #expect(updated.version > created.version)
            #expect(updated.history == [created.version])
            #expect(value(of: try await store.get("events", "e1")) == 2)

            let tombstone = try #require(try await store.delete("events", "e1"))
            #expect(tombstone.deleted)
            #expect(tombstone.history == [updated.version, created.version])
            #expect(try await store.get("events", "e1")?.deleted == true)
            #expect(try await store.delete("events", "e1") == nil)  // deleting twice writes nothing
            #expect(try await store.delete("events", "never") == nil)
            #expect(try await store.get("events", "never") == nil)
        }
    }

    @Test func historyIsBounded() async throws {
        var options = StoreOptions()
        options.historyLimit = 3
        try await withStore(options: options) { _, store in
            var versions: [Version] = []
            for n in 0..<6 { versions.append(try await store.put("users", "u1", body: body(n)).version) }
            let history = try await store.history("users", "u1")
            #expect(history == Array(versions.reversed().prefix(4)))
        }
    }

    @Test func theChangesFeedListsCurrentVersionsInSequenceOrder() async throws {
        try await withStore { _, store in
            for n in 0..<5 { try await store.put("tickets", "t\(n)", body: body(n)) }
            try await store.put("tickets", "t1", body: body(10))  // t1 moves to the end of the feed
            let all = await store.changes(since: 0, limit: 100)
            #expect(all.changes.map(\.document.id) == ["t0", "t2", "t3", "t4", "t1"])
            #expect(all.changes.map(\.seq) == [1, 3, 4, 5, 6])
            #expect(all.complete && all.next == 6)

            let first = await store.changes(since: 0, limit: 2)
            #expect(first.changes.map(\.document.id) == ["t0", "t2"])
            #expect(!first.complete)
            let second = await store.changes(since: first.next, limit: 2)
            #expect(second.changes.map(\.document.id) == ["t3", "t4"])
            let rest = await store.changes(since: second.next, limit: 2)
            #expect(rest.changes.map(\.document.id) == ["t1"])
            #expect(rest.complete)
            #expect(await store.changes(since: 6, limit: 10).changes.isEmpty)
        }
    }

    /// Secondary indexes file documents by slot: a batch (read on two threads), single writes,
    /// a version whose keys change (refiled), one whose keys stay, and lists in arrival order.
    @Test func secondaryIndexesRefileAVersionWhoseKeysChange() async throws {
        var options = StoreOptions()
        options.indexes = [SecondaryIndex(name: "parity", collection: "tickets") { ["parity:\((value(of: $0) ?? 0) % 2)"] }]
        try await withStore(options: options) { directory, store in
            try await store.transact { transaction in
                for n in 0..<100 { try await transaction.put("tickets", "t\(n)", body: body(n)) }
            }
            try await store.put("tickets", "x", body: body(1))
            #expect(try await store.count(index: "parity", key: "parity:0") == 50)
            #expect(try await store.count(index: "parity", key: "parity:1") == 51)

            try await store.put("tickets", "t0", body: body(7))  // now odd: moves to the front of parity:1
            try await store.put("tickets", "t2", body: body(4))  // still even: stays where it was
            let odd = (0..<100).filter { $0 % 2 == 1 }.map { "t\($0)" }
            #expect(try await store.documents(index: "parity", key: "parity:1").map(\.id) == ["t0"] + odd + ["x"])
            #expect(try await store.documents(index: "parity", key: "parity:0").map(\.id) == (2..<100).filter { $0 % 2 == 0 }.map { "t\($0)" })
            #expect(try await store.documents(in: "tickets").count == 101)

            // The same after a restart, rebuilt one version at a time from the journal.
            await store.close()
            let reopened = try DocumentStore.open(directory, nodeID: "node-a", options: options)
            #expect(try await reopened.documents(index: "parity", key: "parity:1").map(\.id) == ["t0"] + odd + ["x"])
            #expect(try await reopened.count(index: "parity", key: "parity:0") == 49)
            await reopened.close()
        }
    }

    @Test func aTransactionIsAllOrNothing() async throws {
        struct SoldOut: Error {}
        try await withStore { _, store in
            try await store.transact { transaction in
                try await transaction.put("tickets", "a", body: body(1))
                try await transaction.put("tickets", "b", body: body(2))
            }
            await #expect(throws: SoldOut.self) {
                try await store.transact { transaction in
                    try await transaction.put("tickets", "c", body: body(3))
                    #expect(try await transaction.get("tickets", "c") != nil)  // a transaction reads its own writes
                    throw SoldOut()
                }
            }
            #expect(try await store.get("tickets", "c") == nil)
            let feed = await store.changes(since: 0, limit: 10)
            #expect(feed.changes.map(\.document.id) == ["a", "b"])
            #expect(await store.statistics().journalSyncs == 1)  // both writes went in one frame, one sync
        }
    }

    @Test func badIdsAndOversizedBodiesAreTypedErrorsAndWriteNothing() async throws {
        var options = StoreOptions()
        options.maxBodyBytes = 64
        try await withStore(options: options) { directory, store in
            await #expect(throws: DocumentError.invalidIdentifier(field: "id", value: "../../etc/passwd")) {
                try await store.put("events", "../../etc/passwd", body: body(1))
            }
            await #expect(throws: DocumentError.invalidIdentifier(field: "collection", value: "a/b")) {
                try await store.put("a/b", "x", body: body(1))
            }
            await #expect(throws: DocumentError.invalidIdentifier(field: "id", value: "")) { try await store.get("events", "") }
            let big = try JSONBody(encoding: ["text": String(repeating: "x", count: 100)])
            await #expect(throws: DocumentError.bodyTooLarge(bytes: big.bytes.count, limit: 64)) {
                try await store.put("events", "big", body: big)
            }
            #expect(await store.statistics().lastSeq == 0)
            #expect(!FileManager.default.fileExists(atPath: directory.path + "/etc"))
        }
    }

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
