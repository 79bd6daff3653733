public import BoxofficeCore

/// The writes of one `DocumentStore.transact` call: it reads the store as it is, plus its own
/// writes, and everything it writes becomes durable together, in one journal frame, or not at all.
///
/// A transaction runs synchronously on the store's actor, so nothing else changes the store
/// while it runs: check-then-write inside one transaction is race-free.
public struct Transaction: ~Copyable {
    private let index: DocumentIndex
    private let nodeID: String
    private let options: StoreOptions
    var clock: HybridLogicalClock
    private(set) var writes: [Document] = []
    private var staged: [DocumentKey: Int] = [:]

    init(index: DocumentIndex, nodeID: String, options: StoreOptions, clock: HybridLogicalClock) {
        self.index = index
        self.nodeID = nodeID
        self.options = options
        self.clock = clock
    }

    /// The current version of a document, including this transaction's writes; tombstones too.
    public func get(_ collection: String, _ id: String) -> Document? {
        let key = DocumentKey(collection: collection, id: id)
        if let position = staged[key] { return writes[position] }
        return index[key]?.document
    }

    /// The documents filed under `key` in the secondary index `name`, as this transaction sees
    /// them (its own writes to those documents included; documents it creates are not yet filed).
    public func documents(index name: String, key: String) -> [Document] {
        index.documents(index: name, key: key).map { get($0.collection, $0.id) ?? $0 }
    }

    /// The documents of a collection (tombstones too) as the store was when the transaction
    /// began, with this transaction's writes to them.
    public func documents(in collection: String) -> [Document] {
        index.documents(in: collection).map { get($0.collection, $0.id) ?? $0 }
    }

    /// How many documents are filed under `key` in the secondary index `name`, as the store was
    /// when the transaction began.
    public func count(index name: String, key: String) -> Int {
        index.count(index: name, key: key)
    }

    /// A fresh timestamp of this node's clock, later than every version the store holds, for a
    /// body that records when something happened in causal order (a ticket's sale).
    public mutating func timestamp() -> HLC {
        clock.now()
    }

    /// Writes a new version of a document, creating it if needed, and returns it.
    /// - Throws: `DocumentError` for a bad collection or id, or a body over the size limit.
    @discardableResult
    public mutating func put(_ collection: String, _ id: String, body: JSONBody) throws(DocumentError) -> Document {
        try stage(collection, id, body: body, deleted: false)
    }

    /// Replaces a live document by a tombstone; returns it, or nil when there was nothing to delete.
    @discardableResult
    public mutating func delete(_ collection: String, _ id: String) throws(DocumentError) -> Document? {
        guard let current = get(collection, id), !current.deleted else { return nil }
        return try stage(collection, id, body: .emptyObject, deleted: true)
    }

    /// Applies a version received from a peer by the merge rule (sync-spec.md, section 5): stored
    /// verbatim when it wins, ignored when it does not. The caller records concurrent losers.
    /// - Throws: `DocumentError` for bad names, a body over the limit, or a clock too far ahead
    ///   (then the caller refuses the whole batch).
    public mutating func merge(_ incoming: Document) throws(DocumentError) -> MergeDecision {
        try validate(incoming.collection, incoming.id, body: incoming.body)
        for version in [incoming.version] + incoming.history { try Identifier.validate(version.node, field: "node") }
        _ = try clock.receive(incoming.version.hlc)
        let decision = MergeDecision.decide(incoming: incoming, stored: get(incoming.collection, incoming.id))
        if decision.storesIncoming { stage(incoming) }
        return decision
    }

    private mutating func stage(_ collection: String, _ id: String, body: JSONBody, deleted: Bool) throws(DocumentError) -> Document {
        try validate(collection, id, body: body)
        let version = Version(hlc: clock.now(), node: nodeID)
        let document =
            get(collection, id)?.successor(version: version, body: body, deleted: deleted, historyLimit: options.historyLimit)
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

    private mutating func stage(_ document: Document) {
        let key = document.key
        if let position = staged[key] {
            writes[position] = document
        } else {
            staged[key] = writes.count
            writes.append(document)
        }
    }

    consuming func finish() -> (writes: [Document], clock: HybridLogicalClock) {
        (writes, clock)
    }
}
