import BoxofficeCore

/// The in-memory state of the store: the current version of every document and the changes
/// feed. Rebuilt from the snapshot and the journal at start-up; owned by `DocumentStore`, which
/// alone mutates it.
final class DocumentIndex {
    private(set) var documents: [DocumentKey: SequencedDocument] = [:]
    private var log = ChangeLog()
    private(set) var lastSeq: UInt64 = 0
    /// The greatest HLC of any stored version, so the node's clock restarts after it.
    private(set) var maxHLC: HLC = .zero
    private var secondary: [SecondaryIndexState]
    private let secondaryPositions: [String: Int]
    private var collections: [String: Set<String>] = [:]

    init(indexes: [SecondaryIndex] = []) {
        secondary = indexes.map(SecondaryIndexState.init)
        secondaryPositions = Dictionary(indexes.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    var count: Int { documents.count }

    subscript(key: DocumentKey) -> SequencedDocument? { documents[key] }

    /// Makes `entry` the current version of its document.
    func apply(_ entry: SequencedDocument) {
        let key = entry.document.key
        let previous = documents.updateValue(entry, forKey: key)
        let replacing = previous != nil
        log.append(seq: entry.seq, key: key, replacing: replacing)
        if !replacing { collections[key.collection, default: []].insert(key.id) }
        for position in secondary.indices where secondary[position].definition.collection == key.collection {
            secondary[position].replace(previous?.document, with: entry.document)
        }
        lastSeq = entry.seq
        if entry.document.version.hlc > maxHLC { maxHLC = entry.document.version.hlc }
        if replacing { log.compactIfMostlyStale { documents[$0]?.seq } }
    }

    /// The current versions written after `since`, up to `through`, in sequence order.
    func changes(since: UInt64, through: UInt64, limit: Int) -> [SequencedDocument] {
        log.entries(since: since, through: through, limit: limit) { documents[$0]?.seq }
            .compactMap { documents[$0.key] }
    }

    /// The current versions filed under `key` in the secondary index `name`; none for an unknown index.
    func documents(index name: String, key: String) -> [Document] {
        guard let position = secondaryPositions[name] else { return [] }
        let collection = secondary[position].definition.collection
        return (secondary[position].ids[key] ?? []).compactMap { documents[DocumentKey(collection: collection, id: $0)]?.document }
    }

    /// How many documents are filed under `key` in the secondary index `name`.
    func count(index name: String, key: String) -> Int {
        secondaryPositions[name].map { secondary[$0].ids[key]?.count ?? 0 } ?? 0
    }

    /// Every document of `collection`, tombstones included.
    func documents(in collection: String) -> [Document] {
        (collections[collection] ?? []).compactMap { documents[DocumentKey(collection: collection, id: $0)]?.document }
    }

    /// Every current version in sequence order, for a snapshot.
    func allInSequenceOrder() -> [SequencedDocument] {
        changes(since: 0, through: lastSeq, limit: .max)
    }
}
