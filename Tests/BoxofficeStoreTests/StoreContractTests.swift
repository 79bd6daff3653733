import BoxofficeCore
import BoxofficeStore
import BoxofficeTestSupport
import Foundation
import Testing

/// What the store protocol promises, checked on every store that implements it: the file store
/// and PostgreSQL (on the throwaway cluster of `make test`).
@Suite(.timeLimit(.minutes(5))) struct StoreContractTests {
    @Test(arguments: StoreKind.underTest) func putGetAndDelete(_ kind: StoreKind) async throws {
        try await withStores(kind) { place in
            let store = try await place.store()
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

    @Test(arguments: StoreKind.underTest) func historyIsBounded(_ kind: StoreKind) async throws {
        var options = StoreOptions()
        options.historyLimit = 3
        try await withStores(kind) { place in
            let store = try await place.store(options: options)
            var versions: [Version] = []
            for n in 0..<6 { versions.append(try await store.put("users", "u1", body: body(n)).version) }
            let history = try await store.history("users", "u1")
            #expect(history == Array(versions.reversed().prefix(4)))
        }
    }

    /// A body comes back byte for byte as it was written: spacing, key order, escapes, and
    /// what PostgreSQL's jsonb cannot hold (a `\u0000`), which sync must still carry.
    @Test(arguments: StoreKind.underTest) func bodiesComeBackByteForByte(_ kind: StoreKind) async throws {
        try await withStores(kind) { place in
            let store = try await place.store()
            let texts = [#"{ "b" : 1,"a":[ 2.50, "x\u00e9\n" ] }"#, #"{"nul":"a\u0000b","lone":"\udc00"}"#, "{}"]
            for (n, text) in texts.enumerated() { try await store.put("notifications", "n\(n)", body: JSONBody(unchecked: Array(text.utf8))) }
            for (n, text) in texts.enumerated() {
                #expect(try await store.get("notifications", "n\(n)")?.body.bytes == Array(text.utf8))
            }
            #expect(try await store.changes(since: 0, limit: 10).changes.map { String(decoding: $0.document.body.bytes, as: UTF8.self) } == texts)
        }
    }

    @Test(arguments: StoreKind.underTest) func theChangesFeedListsCurrentVersionsInSequenceOrder(_ kind: StoreKind) async throws {
        try await withStores(kind) { place in
            let store = try await place.store()
            for n in 0..<5 { try await store.put("tickets", "t\(n)", body: body(n)) }
            try await store.put("tickets", "t1", body: body(10))  // t1 moves to the end of the feed
            let all = try await store.changes(since: 0, limit: 100)
            #expect(all.changes.map(\.document.id) == ["t0", "t2", "t3", "t4", "t1"])
            #expect(all.changes.map(\.seq) == [1, 3, 4, 5, 6])
            #expect(all.complete && all.next == 6)

            let first = try await store.changes(since: 0, limit: 2)
            #expect(first.changes.map(\.document.id) == ["t0", "t2"])
            #expect(!first.complete)
            let second = try await store.changes(since: first.next, limit: 2)
            #expect(second.changes.map(\.document.id) == ["t3", "t4"])
            let rest = try await store.changes(since: second.next, limit: 2)
            #expect(rest.changes.map(\.document.id) == ["t1"])
            #expect(rest.complete)
            #expect(try await store.changes(since: 6, limit: 10).changes.isEmpty)
            #expect(try await store.changes(since: 6, limit: 10).end == 6)
            let statistics = try await store.statistics()
            #expect(statistics.durableSeq == 6 && statistics.documents == 5)
        }
    }

    /// Secondary indexes: a batch, single writes, a version whose keys change (refiled), one
    /// whose keys stay, lists in arrival order, a transaction's own writes, and the same after
    /// a restart.
    @Test(arguments: StoreKind.underTest) func secondaryIndexesRefileAVersionWhoseKeysChange(_ kind: StoreKind) async throws {
        var options = StoreOptions()
        options.indexes = [SecondaryIndex(name: "parity", collection: "tickets") { ["parity:\((value(of: $0) ?? 0) % 2)"] }]
        try await withStores(kind) { place in
            let store = try await place.store(options: options)
            try await store.transact { transaction in
                for n in 0..<100 { try await transaction.put("tickets", "t\(n)", body: body(n)) }
            }
            try await store.put("tickets", "x", body: body(1))
            #expect(try await store.count(index: "parity", key: "parity:0") == 50)
            #expect(try await store.count(index: "parity", key: "parity:1") == 51)

            try await store.put("tickets", "t0", body: body(7))  // now odd
            try await store.put("tickets", "t2", body: body(4))  // still even
            #expect(try await store.count(index: "parity", key: "parity:1") == 52)
            #expect(try await store.count(index: "parity", key: "parity:0") == 49)
            let odd = (0..<100).filter { $0 % 2 == 1 }.map { "t\($0)" }
            #expect(try await store.documents(index: "parity", key: "parity:1").map(\.id) == ["t0"] + odd + ["x"])
            #expect(try await store.documents(index: "parity", key: "parity:0").map(\.id) == (2..<100).filter { $0 % 2 == 0 }.map { "t\($0)" })
            #expect(try await store.documents(in: "tickets").count == 101)
            // Inside a transaction, a document it rewrote reads as rewritten.
            let seen = try await store.transact { transaction in
                try await transaction.put("tickets", "t4", body: body(40))
                return try await transaction.documents(index: "parity", key: "parity:0").first { $0.id == "t4" }.map { value(of: $0) }
            }
            #expect(seen == 40)
            // A tombstone is filed by its own keys (this index reads an empty body as even).
            try await store.delete("tickets", "x")
            #expect(try await store.count(index: "parity", key: "parity:1") == 51)
            #expect(try await store.count(index: "parity", key: "parity:0") == 50)

            await store.close()
            let reopened = try await place.store(nodeID: nil, options: options)
            #expect(reopened.nodeID == "node-a")
            #expect(try await reopened.documents(index: "parity", key: "parity:1").map(\.id) == ["t0"] + odd)
            #expect(try await reopened.count(index: "parity", key: "parity:0") == 50)
        }
    }

    @Test(arguments: StoreKind.underTest) func aTransactionIsAllOrNothing(_ kind: StoreKind) async throws {
        struct SoldOut: Error {}
        try await withStores(kind) { place in
            let store = try await place.store()
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
            #expect(try await store.changes(since: 0, limit: 10).changes.map(\.document.id) == ["a", "b"])
        }
    }

    @Test(arguments: StoreKind.underTest) func badIdsAndOversizedBodiesAreTypedErrorsAndWriteNothing(_ kind: StoreKind) async throws {
        var options = StoreOptions()
        options.maxBodyBytes = 64
        try await withStores(kind) { place in
            let store = try await place.store(options: options)
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
            #expect(try await store.statistics().lastSeq == 0)
        }
    }

    /// Every version a store mints is later than the last one it issued or received, across
    /// restarts, and a store's clock follows the versions merged into it.
    @Test(arguments: StoreKind.underTest) func theClockOnlyMovesForward(_ kind: StoreKind) async throws {
        try await withStores(kind) { place in
            let store = try await place.store()
            let first = try await store.put("events", "e", body: body(1))
            let ahead = HLC(wallMillis: first.version.hlc.wallMillis + 60_000, counter: 3)
            let remote = Document(
                collection: "events",
                id: "r",
                version: Version(hlc: ahead, node: "node-b"),
                history: [],
                deleted: false,
                body: body(2)
            )
            #expect(try await store.transact { try await $0.merge(remote) } == .apply)
            #expect(try await store.lastHLC() >= ahead)
            await store.close()
            let reopened = try await place.store(nodeID: nil)
            let later = try await reopened.put("events", "e", body: body(3))
            #expect(later.version.hlc > ahead)
            let stamp = try await reopened.transact { try await $0.timestamp() }
            #expect(stamp > later.version.hlc)
        }
    }
}
