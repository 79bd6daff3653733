import BoxofficeCore
import BoxofficeStore
import Logging
import PostgresNIO

/// The PostgreSQL store's reads, on one connection inside a transaction: a read view's is
/// `REPEATABLE READ` (one snapshot for the whole body); a write transaction's holds the node's
/// writer lock, so nothing commits under it.
struct PostgresView: StoreView {
    let connection: PostgresConnection
    let logger: Logger

    /// The columns `document(_:)` reads, in its order.
    static let columns = "collection, id, version, history, deleted, bytes"

    nonisolated(nonsending) func get(_ collection: String, _ id: String) async throws -> Document? {
        try Identifier.validate(collection, field: "collection")
        try Identifier.validate(id, field: "id")
        return try await documents(
            "SELECT collection, id, version, history, deleted, bytes FROM boxoffice_documents WHERE collection = \(collection) AND id = \(id)"
        ).first
    }

    nonisolated(nonsending) func documents(index name: String, key: String) async throws -> [Document] {
        try await documents(
            """
            SELECT d.collection, d.id, d.version, d.history, d.deleted, d.bytes
            FROM boxoffice_index_keys k JOIN boxoffice_documents d ON d.collection = k.collection AND d.id = k.id
            WHERE k.index_name = \(name) AND k.key = \(key) ORDER BY d.arrival
            """
        )
    }

    nonisolated(nonsending) func count(index name: String, key: String) async throws -> Int {
        try await PostgresFailure.wrap {
            var count = 0
            let rows = try await connection.query(
                "SELECT count FROM boxoffice_index_counts WHERE index_name = \(name) AND key = \(key)",
                logger: logger
            )
            for try await value in rows.decode(Int.self) { count = value }
            return count
        }
    }

    nonisolated(nonsending) func documents(in collection: String) async throws -> [Document] {
        try await documents(
            "SELECT collection, id, version, history, deleted, bytes FROM boxoffice_documents WHERE collection = \(collection) ORDER BY arrival"
        )
    }

    /// The documents a query of `columns` returns.
    nonisolated(nonsending) func documents(_ query: PostgresQuery) async throws -> [Document] {
        try await sequenced(query).map(\.document)
    }

    /// The documents and their feed positions a query of `columns` and then `seq` returns.
    nonisolated(nonsending) func sequenced(_ query: PostgresQuery) async throws -> [SequencedDocument] {
        try await PostgresFailure.wrap {
            var result: [SequencedDocument] = []
            let rows = try await connection.query(query, logger: logger)
            for try await row in rows {
                let cells = row.makeRandomAccess()
                let seq = cells.count > 6 ? try cells[6].decode(Int64.self) : 0
                result.append(SequencedDocument(seq: UInt64(seq), document: try Self.document(cells)))
            }
            return result
        }
    }

    /// A document from a row of `columns`.
    private static func document(_ cells: PostgresRandomAccessRow) throws -> Document {
        let collection = try cells[0].decode(String.self)
        let id = try cells[1].decode(String.self)
        let versionText = try cells[2].decode(String.self)
        let historyText = try cells[3].decode([String].self)
        let bytes = try cells[5].decode(ByteBuffer.self)
        guard let version = Version(versionText) else { throw StoreError.database("\(collection)/\(id) has an unreadable version \(versionText)") }
        let history = try historyText.map {
            guard let version = Version($0) else { throw StoreError.database("\(collection)/\(id) has an unreadable history entry \($0)") }
            return version
        }
        return Document(
            collection: collection,
            id: id,
            version: version,
            history: history,
            deleted: try cells[4].decode(Bool.self),
            body: JSONBody(unchecked: Array(bytes.readableBytesView))
        )
    }
}
