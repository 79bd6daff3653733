import BoxofficeCore

/// The file store's transaction: the writes staged in memory over the index as it is, made
/// durable by `DocumentStore.transact` in one journal frame when the body returns.
///
/// It runs on the store's actor (its calls are `nonisolated(nonsending)` and never suspend), and
/// the store lets one transaction run at a time, so nothing changes what it has read.
final class JournalTransaction: StoreTransaction {
    private let index: DocumentIndex
    private let nodeID: String
    private let options: StoreOptions
    private(set) var clock: HybridLogicalClock
    private(set) var writes: [Document] = []
    private var staged: [DocumentKey: Int] = [:]
    private var finished = false

    init(index: DocumentIndex, nodeID: String, options: StoreOptions, clock: HybridLogicalClock) {
        self.index = index
        self.nodeID = nodeID
        self.options = options
        self.clock = clock
    }

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
        return clock.now()
    }

    @discardableResult
    nonisolated(nonsending) func put(_ collection: String, _ id: String, body: JSONBody) async throws -> Document {
        try requireOpen()
        return try stage(collection, id, body: body, deleted: false)
    }

    @discardableResult
    nonisolated(nonsending) func delete(_ collection: String, _ id: String) async throws -> Document? {
        try requireOpen()
        guard let current = current(DocumentKey(collection: collection, id: id)), !current.deleted else { return nil }
        return try stage(collection, id, body: .emptyObject, deleted: true)
    }

    nonisolated(nonsending) func merge(_ incoming: Document) async throws -> MergeDecision {
        try requireOpen()
        try validate(incoming.collection, incoming.id, body: incoming.body)
        for version in [incoming.version] + incoming.history { try Identifier.validate(version.node, field: "node") }
        _ = try clock.receive(incoming.version.hlc)
        let decision = MergeDecision.decide(incoming: incoming, stored: current(incoming.key))
        if decision.storesIncoming { stage(incoming) }
        return decision
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
        if let position = staged[key] { return writes[position] }
        return index[key]?.document
    }

    private func stage(_ collection: String, _ id: String, body: JSONBody, deleted: Bool) throws(DocumentError) -> Document {
        try validate(collection, id, body: body)
        let version = Version(hlc: clock.now(), node: nodeID)
        let document =
            current(DocumentKey(collection: collection, id: id))?
            .successor(version: version, body: body, deleted: deleted, historyLimit: options.historyLimit)
            ?? Document(collection: collection, id: id, version: version, history: [], deleted: deleted, body: body)
        stage(document)
        return document
    }

    private func validate(_ collection: String, _ id: String, body: JSONBody) throws(DocumentError) {
        try Identifier.validate(collection, field: "collection")
        try Identifier.validate(id, field: "id")
        // Invariant: no body over the limit ever reaches the journal.
        guard body.bytes.count <= options.maxBodyBytes else {
            throw .bodyTooLarge(bytes: body.bytes.count, limit: options.maxBodyBytes)
        }
    }

    private func stage(_ document: Document) {
        let key = document.key
        if let position = staged[key] {
            writes[position] = document
        } else {
            staged[key] = writes.count
            writes.append(document)
        }
    }
}
