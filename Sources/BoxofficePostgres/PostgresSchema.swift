import BoxofficeStore
import Logging
import PostgresNIO

/// The tables of a PostgreSQL store, as numbered migrations. Every process runs the missing ones
/// at start, one process at a time (an advisory lock), so several starting together are safe.
enum PostgresSchema {
    /// Each migration's statements, in order; a migration's number is its position plus one.
    /// Invariant: a migration, once released, is never edited; a change is a new one.
    static let migrations: [[String]] = [
        [
            // The node this database is: one row. Writers lock it (`FOR UPDATE`), so the clock
            // and the feed position move in commit order. `ready` is false while `store import`
            // has not finished: such a database is served by no process.
            """
            CREATE TABLE boxoffice_node (
                singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
                node_id text NOT NULL,
                configuration jsonb NOT NULL,
                node_key text NOT NULL,
                last_hlc bigint NOT NULL,
                last_seq bigint NOT NULL,
                documents bigint NOT NULL DEFAULT 0,
                indexes text NOT NULL DEFAULT '',
                ready boolean NOT NULL DEFAULT true
            )
            """,
            // One row per document: its current version. `bytes` are the body exactly as written
            // or received (sync sends them unchanged); `body` is the same as jsonb for queries.
            """
            CREATE TABLE boxoffice_documents (
                collection text NOT NULL,
                id text NOT NULL,
                seq bigint NOT NULL,
                arrival bigint NOT NULL,
                version text NOT NULL,
                history text[] NOT NULL,
                deleted boolean NOT NULL,
                body jsonb,
                bytes bytea NOT NULL,
                PRIMARY KEY (collection, id)
            )
            """,
            "CREATE UNIQUE INDEX boxoffice_documents_seq ON boxoffice_documents (seq)",
            "CREATE INDEX boxoffice_documents_arrival ON boxoffice_documents (collection, arrival)",
            // The secondary indexes' keys (a user by email, the live tickets of an event).
            """
            CREATE TABLE boxoffice_index_keys (
                index_name text NOT NULL,
                key text NOT NULL,
                collection text NOT NULL,
                id text NOT NULL,
                PRIMARY KEY (index_name, key, collection, id)
            )
            """,
            "CREATE INDEX boxoffice_index_keys_document ON boxoffice_index_keys (collection, id)",
            // The body as jsonb, or null for a body jsonb cannot hold (a \u0000 in a string, a number
            // past numeric's range): JSON allows them, and a peer's version must never be refused here.
            """
            CREATE FUNCTION boxoffice_jsonb(bytes bytea) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $$
            BEGIN
                RETURN convert_from(bytes, 'UTF8')::jsonb;
            EXCEPTION WHEN others THEN
                RETURN NULL;
            END
            $$
            """,
            // Signed requests' nonces, so a request is taken once by all the node's processes.
            "CREATE TABLE boxoffice_nonces (token text PRIMARY KEY, expires timestamptz NOT NULL)",
            // How many documents each key has: counted as keys are filed, so the sold count of an
            // event is one row, not a scan of its tickets.
            """
            CREATE TABLE boxoffice_index_counts (
                index_name text NOT NULL,
                key text NOT NULL,
                count bigint NOT NULL,
                PRIMARY KEY (index_name, key)
            )
            """,
        ]
    ]

    /// Whether the database has been made a node (by any version of Boxoffice).
    static func holdsANode(_ client: PostgresClient, logger: Logger) async throws -> Bool {
        try await PostgresFailure.wrap {
            let rows = try await client.query("SELECT to_regclass('boxoffice_node') IS NOT NULL", logger: logger)
            for try await found in rows.decode(Bool.self) { return found }
            return false
        }
    }

    /// Runs the migrations this database lacks.
    static func migrate(_ client: PostgresClient, logger: Logger) async throws {
        try await PostgresFailure.wrap {
            try await migrateOnce(client, logger: logger)
        }
    }

    private static func migrateOnce(_ client: PostgresClient, logger: Logger) async throws {
        try await client.withTransaction(logger: logger) { connection in
            // Any number 64-bit: the same in every process of every version of Boxoffice.
            try await connection.query("SELECT pg_advisory_xact_lock(7170319226151657745)", logger: logger)
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS boxoffice_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
                logger: logger
            )
            var applied = 0
            for try await version in try await connection.query("SELECT coalesce(max(version), 0) FROM boxoffice_migrations", logger: logger)
                .decode(Int.self)
            {
                applied = version
            }
            guard applied <= migrations.count else {
                throw StoreError.database(
                    "the schema is at version \(applied), from a newer Boxoffice; this build knows versions up to \(migrations.count)"
                )
            }
            for (offset, statements) in migrations.enumerated().dropFirst(applied) {
                for statement in statements { try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger) }
                let version = offset + 1
                try await connection.query("INSERT INTO boxoffice_migrations (version) VALUES (\(version))", logger: logger)
                logger.notice("database schema migrated", metadata: ["version": "\(version)"])
            }
        }
    }
}
