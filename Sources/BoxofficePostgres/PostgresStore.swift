public import BoxofficeCore
public import BoxofficeStore
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
///   read position N has seen every version at or below N, now and later (sync-spec.md §4.4);
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
    /// How long an operation may wait for the database before the node answers 503.
    private static let deadline: Duration = .seconds(30)

    /// A stamp that differs on every read: other processes write to the same database, so this
    /// one cannot tell without asking whether anything changed, and a value cached under an
    /// earlier stamp is never taken for current.
    public var lastSeq: UInt64 { reads.add(1, ordering: .relaxed).newValue }

    /// Connects to the database at `url`, migrates its schema and claims or checks its node.
    /// - Parameters:
    ///   - nodeID: the node id; nil keeps the database's (or makes one up for a new database).
    ///   - newNodeKey: the signing key a new node stores, in its stored form.
    ///   - newConfiguration: what a new node starts with (a moved node's); nil makes a fresh one.
    /// - Throws: `StoreError.invalidStoreURL`, `.nodeIDMismatch`, `.database`.
    public static func open(
        _ url: String,
        nodeID: String?,
        newNodeKey: @autoclosure () -> String,
        newConfiguration: NodeConfiguration? = nil,
        options: StoreOptions = StoreOptions(),
        logger: Logger = Logger(label: "boxoffice.store")
    ) async throws -> PostgresStore {
        let location = try PostgresLocation(url)
        try await location.probe(logger: logger)
        let client = PostgresClient(configuration: location.configuration, backgroundLogger: logger)
        let running = Task { await client.run() }
        do {
            try await PostgresFailure.within(deadline, doing: "connect to \(location.description)") {
                try await PostgresSchema.migrate(client, logger: logger)
            }
            var fresh = try newConfiguration ?? NodeConfiguration.fresh(nodeID: nodeID)
            let key = newNodeKey()
            let json = String(decoding: try JSONCoding.encode(fresh), as: UTF8.self)
            return try await PostgresFailure.wrap {
                try await client.query(
                    """
                    INSERT INTO boxoffice_node (node_id, configuration, node_key, last_hlc, last_seq)
                    VALUES (\(fresh.nodeID), \(json)::jsonb, \(key), 0, 0) ON CONFLICT DO NOTHING
                    """,
                    logger: logger
                )
                for try await (id, text, storedKey) in try await client.query(
                    "SELECT node_id, configuration::text, node_key FROM boxoffice_node",
                    logger: logger
                ).decode((String, String, String).self) {
                    fresh = try JSONCoding.decode(NodeConfiguration.self, from: Array(text.utf8))
                    fresh.nodeID = id
                    if let nodeID, nodeID != id { throw StoreError.nodeIDMismatch(directory: location.description, stored: id, requested: nodeID) }
                    return PostgresStore(
                        location: location.description,
                        configuration: fresh,
                        nodeKey: storedKey,
                        client: client,
                        running: running,
                        options: options,
                        logger: logger
                    )
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
        try await inTransaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") { connection in
            try await PostgresFailure.wrap {
                let rows = try await connection.query("SELECT last_seq, documents FROM boxoffice_node", logger: self.logger)
                for try await (seq, documents) in rows.decode((Int64, Int).self) {
                    return StoreStatistics(documents: documents, lastSeq: UInt64(seq), durableSeq: UInt64(seq))
                }
                throw StoreError.database("boxoffice_node has no row")
            }
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

    /// Writes versions of a moved node at the feed positions they had there (`store import`), so
    /// its peers' checkpoints stay true, and goes on after position `through` (the last one the
    /// node had used: a moved node's feed never goes back).
    /// - Throws: `StoreError.database` when a position is not after every one this store holds.
    public func restore(_ entries: [SequencedDocument], through: UInt64) async throws {
        try await inTransaction("BEGIN") { connection in
            let node = try await Self.node(connection, logger: self.logger, lock: true)
            // Invariant: positions only grow, so a puller's checkpoint stays true.
            guard entries.first.map({ $0.seq > node.seq }) ?? true, entries.last.map({ $0.seq <= through }) ?? true, through >= node.seq else {
                throw StoreError.database(
                    "an import goes after position \(node.seq), which this database has used already; import into a new database"
                )
            }
            // A new database: nothing was filed before.
            let created = try await self.write(entries, previous: [:], connection: connection)
            let hlc = entries.lazy.map(\.document.version.hlc).max().map { max($0, node.hlc) } ?? node.hlc
            try await self.advance(hlc: hlc, seq: through, created: created, connection: connection)
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

    public func maintain(logger: Logger) async {}

    /// Stops the connection pool; transactions still running end with an error.
    public func close() async {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        running.cancel()
        await running.value
    }

    // MARK: Parts

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
        var bytes: [ByteBuffer] = []
        var jsonb: [Bool] = []
        for document in writes {
            bytes.append(ByteBuffer(bytes: document.body.bytes))
            jsonb.append(Self.fitsJSONB(document.body.bytes))
        }
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
                SELECT c, i, s, s, v, string_to_array(h, ' '), d, CASE WHEN j THEN convert_from(b, 'UTF8')::jsonb END, b
                FROM unnest(\(collections)::text[], \(ids)::text[], \(seqs)::int8[], \(versions)::text[], \(histories)::text[],
                            \(deleted)::bool[], \(jsonb)::bool[], \(bytes)::bytea[]) AS w(c, i, s, v, h, d, j, b)
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

    /// Whether jsonb can hold a body: it refuses `\u0000` and lone surrogates, which JSON allows.
    /// Such a body is kept in `bytes` only (sync and reads use those).
    private static func fitsJSONB(_ bytes: [UInt8]) -> Bool {
        let backslash = UInt8(ascii: "\\")
        var position = 0
        while let found = bytes[position...].firstIndex(of: backslash), found + 5 < bytes.count {
            if bytes[found + 1] == UInt8(ascii: "u") {
                let hex = bytes[(found + 2)...(found + 5)].map { $0 | 0x20 }
                if hex == Array("0000".utf8) || (hex[0] == UInt8(ascii: "d") && hex[1] >= UInt8(ascii: "8")) { return false }
            }
            position = found + 2
        }
        return true
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
    /// returns, rolled back when it throws; the database failing or not answering within the
    /// deadline is a `StoreError`.
    private func inTransaction<T: Sendable>(
        _ begin: PostgresQuery,
        _ work: nonisolated(nonsending) @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        guard !closed.load(ordering: .acquiring) else { throw StoreError.closed }
        // The deadline's task group ends before this returns, so `work` never outlives the call.
        return try await withoutActuallyEscaping(work) { work in
            try await PostgresFailure.within(Self.deadline, doing: "answer") { [client, logger] in
                try await client.withConnection { connection in
                    try await PostgresFailure.wrap { try await connection.query(begin, logger: logger) }
                    do {
                        let result = try await work(connection)
                        try await PostgresFailure.wrap { try await connection.query("COMMIT", logger: logger) }
                        return result
                    } catch {
                        _ = try? await connection.query("ROLLBACK", logger: logger)
                        throw error
                    }
                }
            }
        }
    }
}
