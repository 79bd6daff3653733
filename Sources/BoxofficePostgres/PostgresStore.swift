public import BoxofficeCore
public import BoxofficeStore
public import Foundation
public import Logging
import NIOCore
import PostgresNIO
import Synchronization

/// The store protocol on PostgreSQL, for a hub that must outlive one machine: any number of
/// processes, each with a `PostgresStore` on the same database, serve as one node.
///
/// Guarantees across every process of the node:
/// - writers take turns: a transaction locks the node's row (`SELECT … FOR UPDATE`) before it
///   reads, so check-then-write holds (seats, unique emails, idempotency keys, holds);
/// - the clock and the feed position are read and advanced under that lock, so no two processes
///   mint the same version and feed positions are assigned in commit order: a puller that has
///   read position N has seen every version at or below N, now and later (sync-spec.md §4.1);
/// - a transaction returns once PostgreSQL has committed it (`synchronous_commit` is forced on).
public final class PostgresStore: VersionedStore {
    public let nodeID: String
    public let location: String
    public let configuration: NodeConfiguration
    /// The node's signing key in its stored form, shared by every process of the node.
    public let encodedNodeKey: String
    private let client: PostgresClient
    private let running: Task<Void, Never>
    private let options: StoreOptions
    private let logger: Logger
    private let closed = Atomic(false)
    private let reads = Atomic<UInt64>(0)
    private let claims = Atomic<UInt64>(0)

    /// A stamp that differs on every read: other processes write to the same database, so this
    /// one cannot tell without asking whether anything changed, and a value cached under an
    /// earlier stamp is never taken for current.
    public var lastSeq: UInt64 { reads.add(1, ordering: .relaxed).newValue }

    /// Connects to the database at `url`, migrates its schema and claims or checks its node.
    /// - Parameters:
    ///   - nodeID: the node id; nil keeps the database's (or makes one up for a new database).
    ///   - newNodeKey: the signing key a new node stores, in its stored form.
    ///   - newConfiguration: what a new node starts with (a moved node's); nil makes a fresh one.
    ///   - create: whether a database without a node becomes one; false for commands that only
    ///     act on an existing node, so a mistyped URL is an error, not a new node.
    ///   - importing: the node is made for `restore`, and no other open takes it until a restore
    ///     has finished (an import cut short leaves a node nobody serves).
    /// - Throws: `StoreError.invalidStoreURL`, `.nodeIDMismatch`, `.database`.
    public static func open(
        _ url: String,
        nodeID: String?,
        newNodeKey: @autoclosure () -> String,
        newConfiguration: NodeConfiguration? = nil,
        create: Bool = true,
        importing: Bool = false,
        options: StoreOptions = StoreOptions(),
        logger: Logger = Logger(label: "boxoffice.store")
    ) async throws -> PostgresStore {
        let location = try PostgresLocation(url)
        let client = PostgresClient(configuration: location.configuration, backgroundLogger: logger)
        let running = Task { await client.run() }
        do {
            try await location.probe(logger: logger)
            if !create, try await !PostgresSchema.holdsANode(client, logger: logger) {
                throw StoreError.database("\(location.description) holds no Boxoffice node: check --store, or make one with serve --store")
            }
            try await PostgresSchema.migrate(client, logger: logger)
            var fresh = try newConfiguration ?? NodeConfiguration.fresh(nodeID: nodeID)
            let key = newNodeKey()
            let json = String(decoding: try JSONCoding.encode(fresh), as: UTF8.self)
            return try await PostgresFailure.wrap {
                try await client.query(
                    """
                    INSERT INTO boxoffice_node (node_id, configuration, node_key, last_hlc, last_seq, ready)
                    SELECT \(fresh.nodeID), \(json)::jsonb, \(key), 0, 0, \(!importing) WHERE \(create) ON CONFLICT DO NOTHING
                    """,
                    logger: logger
                )
                for try await (id, text, storedKey, ready) in try await client.query(
                    "SELECT node_id, configuration::text, node_key, ready FROM boxoffice_node",
                    logger: logger
                ).decode((String, String, String, Bool).self) {
                    guard ready || importing else {
                        throw StoreError.database(
                            "\(location.description) holds a store import that did not finish: drop the database, make it anew and import again"
                        )
                    }
                    fresh = try JSONCoding.decode(NodeConfiguration.self, from: Array(text.utf8))
                    fresh.nodeID = id
                    if let nodeID, nodeID != id { throw StoreError.nodeIDMismatch(directory: location.description, stored: id, requested: nodeID) }
                    let store = PostgresStore(
                        location: location.description,
                        configuration: fresh,
                        nodeKey: storedKey,
                        client: client,
                        running: running,
                        options: options,
                        logger: logger
                    )
                    try await store.refileIfIndexesChanged()
                    return store
                }
                throw StoreError.database("boxoffice_node has no row")
            }
        } catch {
            running.cancel()
            await running.value
            throw error
        }
    }

    private init(
        location: String,
        configuration: NodeConfiguration,
        nodeKey: String,
        client: PostgresClient,
        running: Task<Void, Never>,
        options: StoreOptions,
        logger: Logger
    ) {
        self.nodeID = configuration.nodeID
        self.location = location
        self.configuration = configuration
        self.encodedNodeKey = nodeKey
        self.client = client
        self.running = running
        self.options = options
        self.logger = logger
    }

    // MARK: Reading

    public func read<T: Sendable>(_ body: nonisolated(nonsending) @Sendable (any StoreView) async throws -> T) async throws -> T {
        try await inTransaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") { connection in
            try await body(PostgresView(connection: connection, logger: self.logger))
        }
    }

    /// The current versions after `since` in feed order. A version is visible once committed,
    /// and writers commit in feed order, so nothing below the last position returned can appear
    /// later (what a puller's checkpoint relies on).
    public func changes(since: UInt64, limit: Int) async throws -> ChangeBatch {
        try await inTransaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") { connection in
            let view = PostgresView(connection: connection, logger: self.logger)
            let through = try await Self.node(connection, logger: self.logger, lock: false).seq
            let changes = try await view.sequenced(
                """
                SELECT collection, id, version, history, deleted, bytes, seq FROM boxoffice_documents
                WHERE seq > \(Int64(clamping: since)) ORDER BY seq LIMIT \(Int64(limit))
                """
            )
            return ChangeBatch(changes: changes, since: since, through: through, limit: limit)
        }
    }

    public func lastHLC() async throws -> HLC {
        try await inTransaction("BEGIN READ ONLY") { try await Self.node($0, logger: self.logger, lock: false).hlc }
    }

    public func statistics() async throws -> StoreStatistics {
        try await inTransaction("BEGIN READ ONLY") { try await self.statistics(on: $0) }
    }

    private func statistics(on connection: PostgresConnection) async throws -> StoreStatistics {
        try await PostgresFailure.wrap {
            let rows = try await connection.query("SELECT last_seq, documents FROM boxoffice_node", logger: logger)
            for try await (seq, documents) in rows.decode((Int64, Int).self) {
                return StoreStatistics(documents: documents, lastSeq: UInt64(seq), durableSeq: UInt64(seq))
            }
            throw StoreError.database("boxoffice_node has no row")
        }
    }

    // MARK: Writing

    /// Runs `body` as one transaction holding the node's writer lock, and returns once
    /// PostgreSQL has committed its writes.
    public func transact<T: Sendable>(_ body: nonisolated(nonsending) @Sendable (any StoreTransaction) async throws -> T) async throws -> T {
        try await inTransaction("BEGIN") { connection in
            // Invariant: every writer of the node, in every process, holds this row lock first.
            let node = try await Self.node(connection, logger: self.logger, lock: true)
            let clock = HybridLogicalClock(last: node.hlc, maxSkewMillis: self.options.maxSkewMillis, wallClock: self.options.wallClock)
            let transaction = PostgresTransaction(
                view: PostgresView(connection: connection, logger: self.logger),
                set: WriteSet(nodeID: self.nodeID, options: self.options, clock: clock)
            )
            defer { transaction.finish() }
            let result = try await body(transaction)
            transaction.finish()
            let set = transaction.writeSet
            guard !set.writes.isEmpty || set.clock.last != node.hlc else { return result }
            let entries = set.writes.enumerated().map { SequencedDocument(seq: node.seq + 1 + UInt64($0.offset), document: $0.element) }
            let created = try await self.write(entries, previous: transaction.readFromDatabase, connection: connection)
            try await self.advance(hlc: set.clock.last, seq: node.seq + UInt64(entries.count), created: created, connection: connection)
            return result
        }
    }

    /// Makes this new database the node an archive holds (`store import`), in one transaction:
    /// every version at the feed position it had there, so the node's peers go on from their
    /// checkpoints; then the node goes on after position `through`, the last one it had used.
    /// `batches` hands the versions over in feed order, nil at the end.
    /// - Returns: how many versions were written.
    /// - Throws: `StoreError.database` when the database holds documents or another node's key,
    ///   or when a position goes back or a document comes twice; then nothing is written.
    public func restore(
        through: UInt64,
        nodeKey: String,
        batches: nonisolated(nonsending) @Sendable () async throws -> [SequencedDocument]?
    ) async throws -> Int {
        try await inTransaction("BEGIN") { connection in
            let node = try await Self.node(connection, logger: self.logger, lock: true)
            let documents = try await self.statistics(on: connection).documents
            guard node.seq == 0, documents == 0, nodeKey == self.encodedNodeKey else {
                throw StoreError.database("store import makes a new database a node: this one has node \(self.nodeID) with its own documents or key")
            }
            var written = 0
            var last: UInt64 = 0
            var hlc = node.hlc
            var seen = Set<DocumentKey>()
            while let batch = try await batches() {
                // Invariant: positions only grow, so a puller's checkpoint stays true.
                guard batch.first.map({ $0.seq > last }) ?? true, zip(batch, batch.dropFirst()).allSatisfy({ $0.seq < $1.seq }),
                    batch.last.map({ $0.seq <= through }) ?? true
                else { throw StoreError.database("the file's feed positions do not only grow, up to \(through): it is damaged") }
                // A new database: nothing was filed before, and every document comes once.
                for entry in batch where !seen.insert(entry.document.key).inserted {
                    throw StoreError.database(
                        "the file lists \(entry.document.key) twice (exported while the node served?): export it again with the node stopped"
                    )
                }
                _ = try await self.write(batch, previous: [:], connection: connection)
                written += batch.count
                last = batch.last?.seq ?? last
                hlc = batch.lazy.map(\.document.version.hlc).reduce(hlc, max)
            }
            try await self.advance(hlc: hlc, seq: through, created: written, connection: connection)
            try await PostgresFailure.wrap { try await connection.query("UPDATE boxoffice_node SET ready = true", logger: self.logger) }
            return written
        }
    }

    /// Stores `secret` as the node's cluster secret, for every process of the node.
    /// - Returns: whether it changed.
    public func storeSecret(_ secret: String) async throws -> Bool {
        guard configuration.secret != secret else { return false }
        try await PostgresFailure.wrap {
            try await client.query(
                "UPDATE boxoffice_node SET configuration = jsonb_set(configuration, '{secret}', to_jsonb(\(secret)::text))",
                logger: logger
            )
        }
        return true
    }

    /// Claims a nonce in `boxoffice_nonces`; one claim in 256 also clears the expired ones.
    public func claimOnce(_ token: String, until expires: Date) async throws -> Bool {
        guard !closed.load(ordering: .acquiring) else { throw StoreError.closed }
        let sweep = claims.add(1, ordering: .relaxed).newValue % 256 == 0
        return try await PostgresFailure.wrap {
            if sweep { try await client.query("DELETE FROM boxoffice_nonces WHERE expires < now()", logger: logger) }
            let rows = try await client.query(
                "INSERT INTO boxoffice_nonces (token, expires) VALUES (\(token), \(expires)) ON CONFLICT DO NOTHING RETURNING true",
                logger: logger
            )
            for try await _ in rows.decode(Bool.self) { return true }
            return false
        }
    }

    public func maintain(logger: Logger) async {}

    /// Stops the connection pool; transactions still running end with an error.
    public func close() async {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        running.cancel()
        await running.value
    }

    // MARK: Parts

    /// The indexes' names and revision, as `boxoffice_node.indexes` records what the keys were
    /// filed by.
    private var indexSignature: String {
        "\(options.indexRevision):" + options.indexes.map { "\($0.collection)/\($0.name)" }.joined(separator: ",")
    }

    /// Files every document again when the keys in the database were filed by other indexes (a
    /// release that changed them): a sold count must never come from keys of another release.
    ///
    /// Every process of the release before must be stopped first: one still running would go on
    /// filing its own keys.
    private func refileIfIndexesChanged() async throws {
        let signature = indexSignature
        guard try await inTransaction("BEGIN READ ONLY", { try await self.indexesFiled(on: $0) }) != signature else { return }
        try await inTransaction("BEGIN") { connection in
            // A refile of every document may take longer than a request may wait.
            try await PostgresFailure.wrap {
                try await connection.query("SET LOCAL lock_timeout = 0", logger: self.logger)
                try await connection.query("SET LOCAL statement_timeout = 0", logger: self.logger)
            }
            _ = try await Self.node(connection, logger: self.logger, lock: true)
            // Another process of this release may have refiled them meanwhile.
            guard try await self.indexesFiled(on: connection) != signature else { return }
            let view = PostgresView(connection: connection, logger: self.logger)
            try await PostgresFailure.wrap {
                try await connection.query("TRUNCATE boxoffice_index_keys, boxoffice_index_counts", logger: self.logger)
            }
            var since: Int64 = 0
            var refiled = 0
            while true {
                let page = try await view.sequenced(
                    """
                    SELECT collection, id, version, history, deleted, bytes, seq FROM boxoffice_documents
                    WHERE seq > \(since) ORDER BY seq LIMIT 5000
                    """
                )
                guard let last = page.last else { break }
                try await PostgresFailure.wrap { try await self.refile(page.map(\.document), previous: [:], connection: connection) }
                refiled += page.count
                since = Int64(last.seq)
            }
            try await PostgresFailure.wrap {
                try await connection.query("UPDATE boxoffice_node SET indexes = \(signature)", logger: self.logger)
            }
            if refiled > 0 { self.logger.notice("filed every document under the indexes of this release", metadata: ["documents": "\(refiled)"]) }
        }
    }

    /// The signature of the indexes the stored keys were filed by.
    private func indexesFiled(on connection: PostgresConnection) async throws -> String {
        try await PostgresFailure.wrap {
            for try await text in try await connection.query("SELECT indexes FROM boxoffice_node", logger: logger).decode(String.self) {
                return text
            }
            throw StoreError.database("boxoffice_node has no row")
        }
    }

    /// Moves the node's clock and last feed position and counts its new documents, in the
    /// writer's transaction.
    private func advance(hlc: HLC, seq: UInt64, created: Int, connection: PostgresConnection) async throws {
        try await PostgresFailure.wrap {
            try await connection.query(
                """
                UPDATE boxoffice_node SET last_hlc = \(Int64(bitPattern: hlc.rawValue)), last_seq = \(Int64(seq)),
                documents = documents + \(created)
                """,
                logger: logger
            )
        }
    }

    /// Writes versions at their feed positions, with their index keys.
    /// `previous`: the version each written document had before, where it had one.
    /// - Returns: how many of the documents are new.
    private func write(_ entries: [SequencedDocument], previous: [DocumentKey: Document], connection: PostgresConnection) async throws -> Int {
        guard !entries.isEmpty else { return 0 }
        let writes = entries.map(\.document)
        let bytes = writes.map { ByteBuffer(bytes: $0.body.bytes) }
        let collections = writes.map(\.collection)
        let ids = writes.map(\.id)
        let seqs = entries.map { Int64($0.seq) }
        let versions = writes.map(\.version.description)
        let histories = writes.map { $0.history.map(\.description).joined(separator: " ") }
        let deleted = writes.map(\.deleted)
        var created = 0
        try await PostgresFailure.wrap {
            let rows = try await connection.query(
                """
                INSERT INTO boxoffice_documents (collection, id, seq, arrival, version, history, deleted, body, bytes)
                SELECT c, i, s, s, v, string_to_array(h, ' '), d, boxoffice_jsonb(b), b
                FROM unnest(\(collections)::text[], \(ids)::text[], \(seqs)::int8[], \(versions)::text[], \(histories)::text[],
                            \(deleted)::bool[], \(bytes)::bytea[]) AS w(c, i, s, v, h, d, b)
                ON CONFLICT (collection, id) DO UPDATE SET seq = excluded.seq, version = excluded.version,
                    history = excluded.history, deleted = excluded.deleted, body = excluded.body, bytes = excluded.bytes
                RETURNING xmax = 0
                """,
                logger: logger
            )
            // A row the statement inserted (not updated) has no xmax: a new document.
            for try await inserted in rows.decode(Bool.self) where inserted { created += 1 }
            try await self.refile(writes, previous: previous, connection: connection)
        }
        return created
    }

    /// Files written versions under their index keys, and counts the keys, in two statements
    /// whatever the batch's size. A version filed under the keys its previous one had (a ticket
    /// checked in, a profile edited) is left where it is.
    private func refile(_ writes: [Document], previous: [DocumentKey: Document], connection: PostgresConnection) async throws {
        var moved: (collections: [String], ids: [String]) = ([], [])
        var rows: (names: [String], keys: [String], collections: [String], ids: [String]) = ([], [], [], [])
        for document in writes {
            let indexes = options.indexes.filter { $0.collection == document.collection }
            let keys = indexes.map { Set($0.keys(document)) }
            if let before = previous[document.key] {
                guard keys != indexes.map({ Set($0.keys(before)) }) else { continue }
                moved.collections.append(document.collection)
                moved.ids.append(document.id)
            }
            for (index, keys) in zip(indexes, keys) {
                for key in keys {
                    rows.names.append(index.name)
                    rows.keys.append(key)
                    rows.collections.append(document.collection)
                    rows.ids.append(document.id)
                }
            }
        }
        if !moved.ids.isEmpty {
            try await connection.query(
                """
                WITH removed AS (
                    DELETE FROM boxoffice_index_keys k USING unnest(\(moved.collections)::text[], \(moved.ids)::text[]) AS w(c, i)
                    WHERE k.collection = w.c AND k.id = w.i RETURNING k.index_name, k.key)
                INSERT INTO boxoffice_index_counts AS n (index_name, key, count)
                SELECT index_name, key, -count(*) FROM removed GROUP BY index_name, key
                ON CONFLICT (index_name, key) DO UPDATE SET count = n.count + excluded.count
                """,
                logger: logger
            )
        }
        guard !rows.names.isEmpty else { return }
        try await connection.query(
            """
            WITH added AS (
                INSERT INTO boxoffice_index_keys (index_name, key, collection, id)
                SELECT * FROM unnest(\(rows.names)::text[], \(rows.keys)::text[], \(rows.collections)::text[], \(rows.ids)::text[])
                RETURNING index_name, key)
            INSERT INTO boxoffice_index_counts AS n (index_name, key, count)
            SELECT index_name, key, count(*) FROM added GROUP BY index_name, key
            ON CONFLICT (index_name, key) DO UPDATE SET count = n.count + excluded.count
            """,
            logger: logger
        )
    }

    /// The node's clock and feed position; with `lock`, the row lock every writer takes first.
    private static func node(_ connection: PostgresConnection, logger: Logger, lock: Bool) async throws -> (hlc: HLC, seq: UInt64) {
        try await PostgresFailure.wrap {
            let query: PostgresQuery =
                lock
                ? "SELECT last_hlc, last_seq FROM boxoffice_node FOR UPDATE" : "SELECT last_hlc, last_seq FROM boxoffice_node"
            for try await (hlc, seq) in try await connection.query(query, logger: logger).decode((Int64, Int64).self) {
                return (HLC(rawValue: UInt64(bitPattern: hlc)), UInt64(seq))
            }
            throw StoreError.database("boxoffice_node has no row")
        }
    }

    /// Runs `work` in a transaction begun by `begin` on a pooled connection: committed when it
    /// returns, rolled back when it throws. The database's waits are bounded on its side
    /// (`PostgresLocation`: lock and statement timeouts), never by abandoning a `COMMIT` whose
    /// outcome the client would then not know.
    private func inTransaction<T: Sendable>(
        _ begin: PostgresQuery,
        _ work: nonisolated(nonsending) @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        guard !closed.load(ordering: .acquiring) else { throw StoreError.closed }
        let logger = logger
        return try await PostgresFailure.wrap {
            try await client.withConnection { connection in
                try await PostgresFailure.wrap { try await connection.query(begin, logger: logger) }
                do {
                    let result = try await work(connection)
                    try await PostgresFailure.wrap { try await connection.query("COMMIT", logger: logger) }
                    return result
                } catch {
                    do {
                        try await connection.query("ROLLBACK", logger: logger)
                    } catch {
                        // A connection that cannot even roll back goes, not back to the pool.
                        try? await connection.close()
                    }
                    throw error
                }
            }
        }
    }
}
