import BoxofficeCore

/// The file store's transaction: the writes staged in memory over the index as it is, made
/// durable by `DocumentStore.transact` in one journal frame when the body returns.
///
/// It runs on the store's actor (its calls are `nonisolated(nonsending)` and never suspend), and
/// the store lets one transaction run at a time, so nothing changes what it has read.
final class JournalTransaction: StoreTransaction {
    private let index: DocumentIndex
    private(set) var writeSet: WriteSet
    private var finished = false

    init(index: DocumentIndex, nodeID: String, options: StoreOptions, clock: HybridLogicalClock) {
        self.index = index
        self.writeSet = WriteSet(nodeID: nodeID, options: options, clock: clock)
    }

    var clock: HybridLogicalClock { writeSet.clock }
    var writes: [Document] { writeSet.writes }

    nonisolated(nonsending) func get(_ collection: String, _ id: String) async throws -> Document? {
        try requireOpen()
        return current(DocumentKey(collection: collection, id: id))
    }

    /// The documents filed under `key`, with this transaction's writes to them (documents it
    /// creates are not yet filed).
    nonisolated(nonsending) func documents(index name: String, key: String) async throws -> [Document] {
        try requireOpen()
        return index.documents(index: name, key: key).map { current($0.key) ?? $0 }
    }

    /// How many documents are filed under `key` as the store was when the transaction began.
    nonisolated(nonsending) func count(index name: String, key: String) async throws -> Int {
        try requireOpen()
        return index.count(index: name, key: key)
    }

    /// The documents of a collection as the store was when the transaction began, with this
    /// transaction's writes to them.
    nonisolated(nonsending) func documents(in collection: String) async throws -> [Document] {
        try requireOpen()
        return index.documents(in: collection).map { current($0.key) ?? $0 }
    }

    nonisolated(nonsending) func timestamp() async throws -> HLC {
        try requireOpen()
        return writeSet.timestamp()
    }

    @discardableResult
    nonisolated(nonsending) func put(_ collection: String, _ id: String, body: JSONBody) async throws -> Document {
        try requireOpen()
        return try writeSet.write(collection, id, body: body, deleted: false, over: current(DocumentKey(collection: collection, id: id)))
    }

    @discardableResult
    nonisolated(nonsending) func delete(_ collection: String, _ id: String) async throws -> Document? {
        try requireOpen()
        guard let current = current(DocumentKey(collection: collection, id: id)), !current.deleted else { return nil }
        return try writeSet.write(collection, id, body: .emptyObject, deleted: true, over: current)
    }

    nonisolated(nonsending) func merge(_ incoming: Document) async throws -> MergeDecision {
        try requireOpen()
        return try writeSet.merge(incoming, over: current(incoming.key))
    }

    /// Ends the transaction: from here on every call throws.
    func finish() {
        finished = true
    }

    private func requireOpen() throws(StoreError) {
        // Invariant: a transaction writes only while its body runs, so every write reaches the journal.
        guard !finished else { throw .closed }
    }

    private func current(_ key: DocumentKey) -> Document? {
        writeSet.staged(key) ?? index[key]?.document
    }
}
