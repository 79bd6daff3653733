import BoxofficeCore
import BoxofficeStore
import BoxofficeTestSupport
import Foundation
import Testing

/// Versions from one store applied to another through the changes feed and `Transaction.merge`,
/// as sync will do: durable, re-sequenced locally, and converging.
@Suite struct MergeIntoStoreTests {
    /// Pulls every change of `source` into `target` in one transaction; returns the decisions.
    @discardableResult
    private func pull(from source: any VersionedStore, into target: any VersionedStore) async throws -> [MergeDecision] {
        let changes = try await source.changes(since: 0, limit: 10_000).changes.map(\.document)
        return try await target.transact { transaction in
            var decisions: [MergeDecision] = []
            for change in changes { decisions.append(try await transaction.merge(change)) }
            return decisions
        }
    }

    @Test(arguments: StoreKind.underTest) func twoNodesConvergeAndConcurrentEditsAreDecidedAlike(_ kind: StoreKind) async throws {
        try await withStores(kind) { place in try await converge(place.store("a", nodeID: "venue-a"), place.store("b", nodeID: "venue-b")) }
    }

    private func converge(_ a: any VersionedStore, _ b: any VersionedStore) async throws {
        try await a.put("events", "shared", body: body(0))
        try await pull(from: a, into: b)
        // Apart: both edit the shared event, each writes its own documents.
        try await a.put("events", "shared", body: body(1))
        try await b.put("events", "shared", body: body(2))
        try await a.put("tickets", "sold-at-a", body: body(10))
        try await b.put("tickets", "sold-at-b", body: body(20))

        let atB = try await pull(from: a, into: b)
        let atA = try await pull(from: b, into: a)
        // Both nodes see the same conflict and name the same loser.
        let loserAtA = try #require(atA.compactMap(\.loser).first)
        let loserAtB = try #require(atB.compactMap(\.loser).first)
        #expect(atA.compactMap(\.loser).count == 1 && atB.compactMap(\.loser).count == 1)
        #expect(loserAtA == loserAtB)

        let winnerAtA = try #require(try await a.get("events", "shared"))
        let winnerAtB = try #require(try await b.get("events", "shared"))
        #expect(winnerAtA == winnerAtB)  // byte-identical, history included
        #expect(DocumentJSON.compact(winnerAtA) == DocumentJSON.compact(winnerAtB))
        for store in [a, b] {
            #expect(try await store.get("tickets", "sold-at-a") != nil)
            #expect(try await store.get("tickets", "sold-at-b") != nil)
        }
        // Applying the same versions again changes nothing.
        let before = try await b.statistics().lastSeq
        #expect(try await pull(from: a, into: b).allSatisfy { $0 == .ignore })
        #expect(try await b.statistics().lastSeq == before)
    }

    @Test(arguments: StoreKind.underTest) func mergedVersionsAreDurableAndFeedOnward(_ kind: StoreKind) async throws {
        try await withStores(kind) { place in
            let a = try await place.store("a", nodeID: "venue-a")
            let b = try await place.store("b", nodeID: "venue-b")
            let c = try await place.store("c", nodeID: "venue-c")
            let original = try await a.put("users", "u1", body: body(7))
            try await pull(from: a, into: b)
            try await pull(from: b, into: c)  // c hears of a's write through b
            #expect(try await c.get("users", "u1") == original)
            await b.close()
            let reopened = try await place.store("b", nodeID: nil)
            #expect(try await reopened.get("users", "u1") == original)
        }
    }

    @Test func aClockTooFarAheadRefusesTheWholeBatch() async throws {
        let temporary = TemporaryDirectory("skew")
        defer { temporary.remove() }
        let store = try DocumentStore.open(DataDirectory(temporary.file("a")), nodeID: "venue-a")
        let now = HybridLogicalClock.systemMillis()
        let fine = Document(
            collection: "events",
            id: "ok",
            version: Version(hlc: HLC(wallMillis: now, counter: 0), node: "venue-b"),
            history: [],
            deleted: false,
            body: .emptyObject
        )
        let future = HLC(wallMillis: now + 3_600_000, counter: 0)
        let ahead = Document(
            collection: "events",
            id: "late",
            version: Version(hlc: future, node: "venue-b"),
            history: [],
            deleted: false,
            body: .emptyObject
        )
        await #expect(throws: DocumentError.self) {
            try await store.transact { transaction in
                _ = try await transaction.merge(fine)
                _ = try await transaction.merge(ahead)
            }
        }
        #expect(try await store.get("events", "ok") == nil)  // all-or-nothing
        let bad = Document(
            collection: "events",
            id: "x",
            version: Version(hlc: HLC(wallMillis: now, counter: 0), node: "../b"),
            history: [],
            deleted: false,
            body: .emptyObject
        )
        await #expect(throws: DocumentError.invalidIdentifier(field: "node", value: "../b")) {
            try await store.transact { transaction in _ = try await transaction.merge(bad) }
        }
        await store.close()
    }
}
