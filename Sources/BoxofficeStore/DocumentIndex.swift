import BoxofficeCore

/// The in-memory state of the store: the current version of every document and the changes
/// feed. Rebuilt from the snapshot and the journal at start-up; owned by `DocumentStore`, which
/// alone mutates it.
///
/// Each document has a slot of its own for good (a deletion is a tombstone; nothing is ever
/// removed), so the feed, the collections and the secondary indexes hold slots: filing a synced
/// version hashes its key once, not once per list it joins (bench/sync.sh).
final class DocumentIndex {
    private var entries: [SequencedDocument] = []
    private var slots: [DocumentKey: Int] = [:]
    private var log = ChangeLog()
    private(set) var lastSeq: UInt64 = 0
    /// The greatest HLC of any stored version, so the node's clock restarts after it.
    private(set) var maxHLC: HLC = .zero
    private var secondary: [SecondaryIndexState]
    private let secondaryPositions: [String: Int]
    /// The slots of each collection's documents, in the order they first arrived.
    private var collections: [String: [Int]] = [:]

    init(indexes: [SecondaryIndex] = []) {
        secondary = indexes.map(SecondaryIndexState.init)
        secondaryPositions = Dictionary(indexes.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    var count: Int { entries.count }

    subscript(key: DocumentKey) -> SequencedDocument? { slots[key].map { entries[$0] } }

    /// The current version of every document, by key (for an audit of the files).
    var documents: [DocumentKey: SequencedDocument] {
        Dictionary(uniqueKeysWithValues: entries.map { ($0.document.key, $0) })
    }

    /// Makes `entry` the current version of its document.
    func apply(_ entry: SequencedDocument) {
        let key = entry.document.key
        slots.makeRoomForOneMore()
        let slot = Self.claim(&slots[key, default: -1], next: entries.count)
        let previous: Document?
        if slot == entries.count {
            previous = nil
            entries.append(entry)
            collections[key.collection, default: []].append(slot)
        } else {
            previous = entries[slot].document
            entries[slot] = entry
        }
        log.append(seq: entry.seq, slot: slot, replacing: previous != nil)
        for position in secondary.indices where secondary[position].definition.collection == key.collection {
            secondary[position].replace(previous, with: entry.document, at: slot)
        }
        lastSeq = entry.seq
        if entry.document.version.hlc > maxHLC { maxHLC = entry.document.version.hlc }
        if previous != nil { log.compactIfMostlyStale { entries[$0].seq } }
    }

    /// The slot in `value`, or `next` stored there when it held none: one lookup for both.
    private static func claim(_ value: inout Int, next: Int) -> Int {
        if value < 0 { value = next }
        return value
    }

    /// The current versions written after `since`, up to `through`, in sequence order.
    func changes(since: UInt64, through: UInt64, limit: Int) -> [SequencedDocument] {
        log.entries(since: since, through: through, limit: limit) { entries[$0].seq }.map { entries[$0.slot] }
    }

    /// The current versions filed under `key` in the secondary index `name`; none for an unknown index.
    func documents(index name: String, key: String) -> [Document] {
        guard let position = secondaryPositions[name] else { return [] }
        return secondary[position].slots(key).map { entries[$0].document }
    }

    /// How many documents are filed under `key` in the secondary index `name`.
    func count(index name: String, key: String) -> Int {
        secondaryPositions[name].map { secondary[$0].slots(key).count } ?? 0
    }

    /// Every document of `collection`, tombstones included.
    func documents(in collection: String) -> [Document] {
        (collections[collection] ?? []).map { entries[$0].document }
    }

    /// Every current version in sequence order, for a snapshot.
    func allInSequenceOrder() -> [SequencedDocument] {
        changes(since: 0, through: lastSeq, limit: .max)
    }
}
