public import BoxofficeCore

/// The writes of one transaction, staged in order, and the node's clock they are stamped with:
/// what every store's transaction does the same way (a new version over the current one, a
/// merge's decision), whatever holds the current versions.
public struct WriteSet: Sendable {
    public let nodeID: String
    private let historyLimit: Int
    private let maxBodyBytes: Int
    public private(set) var clock: HybridLogicalClock
    /// The versions written, one per document, in the order first written.
    public private(set) var writes: [Document] = []
    private var staged: [DocumentKey: Int] = [:]

    public init(nodeID: String, options: StoreOptions, clock: HybridLogicalClock) {
        self.nodeID = nodeID
        self.historyLimit = options.historyLimit
        self.maxBodyBytes = options.maxBodyBytes
        self.clock = clock
    }

    /// The version this transaction wrote for `key`, if any.
    public func staged(_ key: DocumentKey) -> Document? {
        staged[key].map { writes[$0] }
    }

    /// A fresh timestamp of the node's clock.
    public mutating func timestamp() -> HLC { clock.now() }

    /// Stages a new version of a document over `current`, its version as the transaction sees it.
    public mutating func write(
        _ collection: String,
        _ id: String,
        body: JSONBody,
        deleted: Bool,
        over current: Document?
    ) throws(DocumentError) -> Document {
        try validate(collection, id, body: body)
        let version = Version(hlc: clock.now(), node: nodeID)
        let document =
            current?.successor(version: version, body: body, deleted: deleted, historyLimit: historyLimit)
            ?? Document(collection: collection, id: id, version: version, history: [], deleted: deleted, body: body)
        stage(document)
        return document
    }

    /// Decides a peer's version against `current` by the merge rule, and stages it when it wins.
    public mutating func merge(_ incoming: Document, over current: Document?) throws(DocumentError) -> MergeDecision {
        try validate(incoming.collection, incoming.id, body: incoming.body)
        try Identifier.validate(incoming.version.node, field: "node")
        for version in incoming.history { try Identifier.validate(version.node, field: "node") }
        _ = try clock.receive(incoming.version.hlc)
        let decision = MergeDecision.decide(incoming: incoming, stored: current)
        if decision.storesIncoming { stage(incoming) }
        return decision
    }

    /// Checks a document's names and body size before anything is staged.
    public func validate(_ collection: String, _ id: String, body: JSONBody) throws(DocumentError) {
        try Identifier.validate(collection, field: "collection")
        try Identifier.validate(id, field: "id")
        // Invariant: no body over the limit is ever stored.
        guard body.bytes.count <= maxBodyBytes else { throw .bodyTooLarge(bytes: body.bytes.count, limit: maxBodyBytes) }
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
}
