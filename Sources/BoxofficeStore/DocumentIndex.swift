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

    var count: Int { documents.count }

    subscript(key: DocumentKey) -> SequencedDocument? { documents[key] }

    /// Makes `entry` the current version of its document.
    func apply(_ entry: SequencedDocument) {
        let key = entry.document.key
        let replacing = documents.updateValue(entry, forKey: key) != nil
        log.append(seq: entry.seq, key: key, replacing: replacing)
        lastSeq = entry.seq
        if entry.document.version.hlc > maxHLC { maxHLC = entry.document.version.hlc }
        if replacing { log.compactIfMostlyStale { documents[$0]?.seq } }
    }

    /// The current versions written after `since`, up to `through`, in sequence order.
    func changes(since: UInt64, through: UInt64, limit: Int) -> [SequencedDocument] {
        log.entries(since: since, through: through, limit: limit) { documents[$0]?.seq }
            .compactMap { documents[$0.key] }
    }

    /// Every current version in sequence order, for a snapshot.
    func allInSequenceOrder() -> [SequencedDocument] {
        changes(since: 0, through: lastSeq, limit: .max)
    }
}
