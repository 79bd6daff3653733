public import BoxofficeCore

/// A lookup the store keeps up to date: for every current version in `collection`, the keys
/// that `keys` returns for it. Services use them to find documents by something other than their
/// id (a user by email, the live tickets of an event) without scanning, and inside a transaction.
public struct SecondaryIndex: Sendable {
    public let name: String
    public let collection: String
    public let keys: @Sendable (Document) -> [String]

    public init(name: String, collection: String, keys: @escaping @Sendable (Document) -> [String]) {
        self.name = name
        self.collection = collection
        self.keys = keys
    }
}

/// The documents under each key of one secondary index, as `DocumentIndex` slots.
struct SecondaryIndexState {
    let definition: SecondaryIndex
    /// Invariant: each list is sorted and holds a slot once. A new document has the highest slot
    /// yet, so filing it is an append.
    private var buckets: [String: [Int]] = [:]

    init(_ definition: SecondaryIndex) {
        self.definition = definition
    }

    func slots(_ key: String) -> [Int] { buckets[key] ?? [] }

    /// Files the document at `slot` under the keys of `new` instead of those of `old`.
    mutating func replace(_ old: Document?, with new: Document, at slot: Int) {
        let added = definition.keys(new)
        let removed = old.map(definition.keys) ?? []
        // Most new versions are filed as their last one was (a ticket checked in, a profile edited).
        guard added != removed else { return }
        for key in removed where !added.contains(key) {
            buckets[key]?.removeSorted(slot)
            if buckets[key]?.isEmpty == true { buckets[key] = nil }
        }
        for key in added where !removed.contains(key) {
            buckets.makeRoomForOneMore()
            buckets[key, default: []].insertSorted(slot)
        }
    }
}

extension [Int] {
    fileprivate mutating func insertSorted(_ value: Int) {
        guard let last, value <= last else { return append(value) }
        let at = firstPosition(notBelow: value)
        if self[at] != value { insert(value, at: at) }
    }

    fileprivate mutating func removeSorted(_ value: Int) {
        let at = firstPosition(notBelow: value)
        if at < count, self[at] == value { remove(at: at) }
    }

    private func firstPosition(notBelow value: Int) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
