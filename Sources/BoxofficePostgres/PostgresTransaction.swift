import BoxofficeCore
import BoxofficeStore
import PostgresNIO

/// The PostgreSQL store's transaction: reads go to the database (which it has locked for
/// writing, so nothing changes under it), writes are staged in a `WriteSet` and reach the
/// database together when the body returns (`PostgresStore.transact`).
final class PostgresTransaction: StoreTransaction {
    private let view: PostgresView
    private(set) var writeSet: WriteSet
    /// Documents read from the database, by key (nil: none there). Valid for the whole
    /// transaction: it holds the writer lock, so nothing else commits a write meanwhile.
    private var read: [DocumentKey: Document?] = [:]
    private var finished = false

    init(view: PostgresView, set: WriteSet) {
        self.view = view
        self.writeSet = set
    }

    nonisolated(nonsending) func get(_ collection: String, _ id: String) async throws -> Document? {
        try requireOpen()
        return try await current(collection, id)
    }

    /// The documents filed under `key` as the store was when the transaction began, with this
    /// transaction's writes to them.
    nonisolated(nonsending) func documents(index name: String, key: String) async throws -> [Document] {
        try requireOpen()
        return try await view.documents(index: name, key: key).map { writeSet.staged($0.key) ?? $0 }
    }

    /// How many documents are filed under `key` as the store was when the transaction began.
    nonisolated(nonsending) func count(index name: String, key: String) async throws -> Int {
        try requireOpen()
        return try await view.count(index: name, key: key)
    }

    nonisolated(nonsending) func documents(in collection: String) async throws -> [Document] {
        try requireOpen()
        return try await view.documents(in: collection).map { writeSet.staged($0.key) ?? $0 }
    }

    nonisolated(nonsending) func timestamp() async throws -> HLC {
        try requireOpen()
        return writeSet.timestamp()
    }

    @discardableResult
    nonisolated(nonsending) func put(_ collection: String, _ id: String, body: JSONBody) async throws -> Document {
        try requireOpen()
        return try writeSet.write(collection, id, body: body, deleted: false, over: try await current(collection, id))
    }

    @discardableResult
    nonisolated(nonsending) func delete(_ collection: String, _ id: String) async throws -> Document? {
        try requireOpen()
        guard let current = try await current(collection, id), !current.deleted else { return nil }
        return try writeSet.write(collection, id, body: .emptyObject, deleted: true, over: current)
    }

    nonisolated(nonsending) func merge(_ incoming: Document) async throws -> MergeDecision {
        try requireOpen()
        return try writeSet.merge(incoming, over: try await current(incoming.collection, incoming.id))
    }

    /// The documents as the database had them when this transaction read them (the ones it did
    /// not find left out): what a write replaces, for refiling its index keys.
    var readFromDatabase: [DocumentKey: Document] { read.compactMapValues { $0 } }

    /// Ends the transaction: from here on every call throws.
    func finish() {
        finished = true
    }

    private func requireOpen() throws(StoreError) {
        // Invariant: a transaction writes only while its body runs, so every write is committed.
        guard !finished else { throw .closed }
    }

    /// The document as this transaction sees it: its own write, else the database's (read once;
    /// a sync merges each version after reading it, and that read is not repeated).
    private nonisolated(nonsending) func current(_ collection: String, _ id: String) async throws -> Document? {
        let key = DocumentKey(collection: collection, id: id)
        if let staged = writeSet.staged(key) { return staged }
        if let known = read[key] { return known }
        let document = try await view.get(collection, id)
        read[key] = document
        return document
    }
}
