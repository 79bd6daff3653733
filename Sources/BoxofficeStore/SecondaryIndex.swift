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

/// The ids under each key of one secondary index.
struct SecondaryIndexState {
    let definition: SecondaryIndex
    private(set) var ids: [String: Set<String>] = [:]

    init(_ definition: SecondaryIndex) {
        self.definition = definition
    }

    mutating func replace(_ old: Document?, with new: Document) {
        if let old {
            for key in definition.keys(old) {
                ids[key]?.remove(old.id)
                if ids[key]?.isEmpty == true { ids[key] = nil }
            }
        }
        for key in definition.keys(new) { ids[key, default: []].insert(new.id) }
    }
}
