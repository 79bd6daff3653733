import BoxofficeCore
import BoxofficeTestSupport
import Foundation
import Synchronization
import Testing

@testable import BoxofficePostgres
@testable import BoxofficeStore

/// What the PostgreSQL store adds to the contract: several processes (here, several stores with
/// pools of their own on one database) serve one node.
@Suite(.timeLimit(.minutes(5))) struct PostgresStoreTests {
    /// Two stores increment one counter at once, each read-then-write in a transaction: the
    /// node's writer lock makes every increment count.
    @Test func twoProcessesNeverLoseAnUpdate() async throws {
        try await withStores(.postgresql) { place in
            let a = try await place.store(nodeID: "hub")
            let b = try await place.store(nodeID: "hub")
            try await a.put("counters", "c", body: body(0))
            try await withThrowingTaskGroup(of: Void.self) { group in
                for n in 0..<60 {
                    let store = n % 2 == 0 ? a : b
                    group.addTask {
                        try await store.transact { transaction in
                            let current = value(of: try await transaction.get("counters", "c")) ?? -1
                            try await transaction.put("counters", "c", body: body(current + 1))
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(value(of: try await b.get("counters", "c")) == 60)
            #expect(try await a.history("counters", "c").count == 50 + 1)  // the history limit, plus the current
        }
    }

    /// Writers in two stores commit concurrently while a puller reads the feed in small pages
    /// from its checkpoint, as a venue does: when the writers are done, the puller has every
    /// version, although it never read from the start again. Every version is unique.
    @Test func theFeedNeverSkipsAVersionCommittedLate() async throws {
        try await withStores(.postgresql) { place in
            let a = try await place.store(nodeID: "hub")
            let b = try await place.store(nodeID: "hub")
            let puller = try await place.store(nodeID: "hub")
            let writing = Atomic(true)
            async let pulled: [SequencedDocument] = {
                var seen: [SequencedDocument] = []
                var checkpoint: UInt64 = 0
                var finishing = false
                while true {
                    let batch = try await puller.changes(since: checkpoint, limit: 7)
                    seen += batch.changes
                    checkpoint = batch.next
                    if batch.complete {
                        if finishing { return seen }
                        // One more pass after the writers stop, from the same checkpoint.
                        finishing = !writing.load(ordering: .acquiring)
                    }
                }
            }()
            var written: [Document] = []
            try await withThrowingTaskGroup(of: [Document].self) { group in
                for writer in 0..<8 {
                    let store = writer % 2 == 0 ? a : b
                    group.addTask {
                        var documents: [Document] = []
                        for n in 0..<40 {
                            // One or three documents a transaction, so feed positions come in runs.
                            documents += try await store.transact { transaction in
                                var written: [Document] = []
                                for part in 0..<(n % 3 == 0 ? 3 : 1) {
                                    written.append(try await transaction.put("tickets", "w\(writer)-\(n)-\(part)", body: body(n)))
                                }
                                return written
                            }
                        }
                        return documents
                    }
                }
                for try await documents in group { written += documents }
            }
            writing.store(false, ordering: .releasing)
            let seen = try await pulled
            #expect(Set(seen.map(\.document.id)) == Set(written.map(\.id)))
            #expect(seen.count == written.count, "each version once: positions only grow")
            #expect(seen.map(\.seq) == seen.map(\.seq).sorted())
            #expect(Set(written.map(\.version)).count == written.count, "no two processes mint the same version")
            #expect(Set(seen.map(\.document)) == Set(written))
        }
    }

    /// One database is one node: its id, clock, key and configuration are the database's,
    /// whichever process opens it first.
    @Test func oneDatabaseIsOneNode() async throws {
        try await withStores(.postgresql) { place in
            let first = try await place.store(nodeID: "hub") as! PostgresStore
            let second = try await PostgresStore.open(try #require(place.database()).url, nodeID: nil, newNodeKey: "another key")
            defer { Task { await second.close() } }
            #expect(second.nodeID == "hub")
            #expect(second.encodedNodeKey == first.encodedNodeKey)
            #expect(second.configuration.secret == first.configuration.secret)
            await #expect(throws: StoreError.nodeIDMismatch(directory: first.location, stored: "hub", requested: "venue-b")) {
                try await PostgresStore.open(try #require(place.database()).url, nodeID: "venue-b", newNodeKey: "k")
            }
        }
    }

    /// Processes starting together migrate the schema once; a schema from a newer build is refused.
    @Test func theSchemaMigratesOnceAndANewerOneIsRefused() async throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let stores = try await withThrowingTaskGroup(of: PostgresStore.self) { group in
            for _ in 0..<4 { group.addTask { try await PostgresStore.open(database.url, nodeID: "hub", newNodeKey: "k") } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        for store in stores { await store.close() }
        #expect(try database.sql("SELECT count(*) FROM boxoffice_migrations") == "\(PostgresSchema.migrations.count)")
        try database.sql("INSERT INTO boxoffice_migrations (version) VALUES (\(PostgresSchema.migrations.count + 1))")
        await #expect {
            try await PostgresStore.open(database.url, nodeID: "hub", newNodeKey: "k")
        } throws: { error in
            (error as? StoreError).map { "\($0)".contains("from a newer Boxoffice") } ?? false
        }
    }

    /// The body is a jsonb column too, for an operator's queries; a body jsonb cannot hold
    /// keeps its bytes, with no jsonb.
    @Test func documentsAreRowsAnOperatorCanQuery() async throws {
        var options = StoreOptions()
        options.indexes = [SecondaryIndex(name: "by-value", collection: "tickets") { ["value:\(value(of: $0) ?? 0)"] }]
        try await withStores(.postgresql) { place in
            let store = try await place.store(nodeID: "hub", options: options)
            let written = try await store.put("tickets", "t1", body: body(42))
            try await store.put("notes", "n1", body: JSONBody(unchecked: Array(#"{"text":"a\u0000b"}"#.utf8)))
            try await store.put("notes", "n2", body: JSONBody(unchecked: Array(#"{"huge":1e1000000}"#.utf8)))
            let database = try #require(place.database())
            #expect(try database.sql("SELECT body->>'value' FROM boxoffice_documents WHERE id = 't1'") == "42")
            #expect(try database.sql("SELECT version, deleted FROM boxoffice_documents WHERE id = 't1'") == "\(written.version)|f")
            #expect(
                try database.sql("SELECT body IS NULL, convert_from(bytes, 'UTF8') FROM boxoffice_documents WHERE id = 'n1'")
                    == #"t|{"text":"a\u0000b"}"#
            )
            #expect(try database.sql("SELECT key FROM boxoffice_index_keys WHERE id = 't1'") == "value:42")
            // A number past numeric's range is valid JSON: kept as bytes, with no jsonb.
            #expect(try database.sql("SELECT body IS NULL, length(bytes) FROM boxoffice_documents WHERE id = 'n2'") == "t|18")
        }
    }

    /// A release that changes an index's keys (another revision) finds every document filed by
    /// the new keys when it opens the database, counts included.
    @Test func keysAreFiledAgainWhenTheIndexesChange() async throws {
        var before = StoreOptions()
        before.indexes = [SecondaryIndex(name: "bucket", collection: "tickets") { ["parity:\((value(of: $0) ?? 0) % 2)"] }]
        var after = StoreOptions()
        after.indexRevision = 1
        after.indexes = [SecondaryIndex(name: "bucket", collection: "tickets") { ["tens:\((value(of: $0) ?? 0) / 10)"] }]
        try await withStores(.postgresql) { place in
            let first = try await place.store(nodeID: "hub", options: before)
            try await first.transact { transaction in
                for n in 0..<25 { try await transaction.put("tickets", "t\(n)", body: body(n)) }
            }
            #expect(try await first.count(index: "bucket", key: "parity:0") == 13)
            await first.close()
            let upgraded = try await place.store(nodeID: "hub", options: after)
            #expect(try await upgraded.count(index: "bucket", key: "parity:0") == 0)
            #expect(try await upgraded.count(index: "bucket", key: "tens:1") == 10)
            #expect(try await upgraded.documents(index: "bucket", key: "tens:2").map(\.id) == (20..<25).map { "t\($0)" })
        }
    }

    /// A store URL is checked before anything connects; a password never shows in the location,
    /// and TLS is required for a server that is not on this machine.
    @Test func storeURLs() throws {
        let remote = try PostgresLocation("postgresql://hub:s3cret@db.example:6543/boxoffice")
        #expect(remote.description == "postgresql://hub@db.example:6543/boxoffice")
        #expect(remote.single.tls.isEnforced)
        #expect(!(try PostgresLocation("postgresql://hub:pw@127.0.0.1/boxoffice")).single.tls.isAllowed)
        #expect(try PostgresLocation("postgresql://hub@db.example/b?sslmode=prefer").single.tls.isAllowed)
        #expect(throws: StoreError.self) { try PostgresLocation("mysql://hub@db.example/b") }
        #expect(throws: StoreError.invalidStoreURL("sslmode=maybe: use disable, prefer or require")) {
            try PostgresLocation("postgresql://hub@db.example/b?sslmode=maybe")
        }
        #expect(PostgresLocation.redacted("postgresql://hub:s3cret@db.example/b") == "postgresql://hub:***@db.example/b")
        // A URL too broken to parse (a bare `%` in the password) still never shows it.
        #expect(!PostgresLocation.redacted("postgresql://hub:50%off#x@db.example/b").contains("50%off"))
        // A name that starts like a loopback address is a name: TLS stays required.
        #expect(try PostgresLocation("postgresql://hub@127.example/b").single.tls.isEnforced)
    }

    /// A server that is down is reported in its own words (one probe connection), where the
    /// pool alone would retry until the deadline and say only that nothing answered.
    @Test func anUnreachableDatabaseIsAStoreErrorInItsOwnWords() async throws {
        await #expect {
            // Port 1 on loopback: nothing listens there.
            try await PostgresStore.open("postgresql://hub@127.0.0.1:1/b", nodeID: "hub", newNodeKey: "k")
        } throws: { error in
            guard case let .database(text)? = error as? StoreError else { return false }
            return text.contains("Connection refused")
        }
    }
}
