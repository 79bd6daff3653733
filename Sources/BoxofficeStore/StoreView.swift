public import BoxofficeCore

/// What a service reads through: the documents of a node as one transaction or read sees them.
/// A view cannot write; `StoreTransaction` adds the writes.
///
/// Every requirement runs on its caller's executor (`nonisolated(nonsending)`): a store that
/// answers from memory (the file store, on its actor) answers without a hop, and one that
/// answers from a database awaits it.
public protocol StoreView {
    /// The current version of a document, tombstones included; nil if it never existed.
    /// - Throws: `DocumentError` for a bad collection or id, or what the store's engine throws.
    nonisolated(nonsending) func get(_ collection: String, _ id: String) async throws -> Document?

    /// The current versions (tombstones included) filed under `key` in the secondary index `name`.
    nonisolated(nonsending) func documents(index name: String, key: String) async throws -> [Document]

    /// How many documents are filed under `key` in the secondary index `name`.
    nonisolated(nonsending) func count(index name: String, key: String) async throws -> Int

    /// Every document of `collection`, tombstones included, in no particular order.
    nonisolated(nonsending) func documents(in collection: String) async throws -> [Document]
}
