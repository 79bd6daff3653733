public import BoxofficeCore
public import Foundation
public import Logging

/// The store a node's services run on: versioned documents of one node, read through views and
/// written through transactions, with the changes feed peers pull. `DocumentStore` (a journal and
/// files in a data directory) implements it; nothing here names a file, so a database can too.
public protocol VersionedStore: Sendable {
    /// The id of the node whose versions this store mints.
    var nodeID: String { get }
    /// Where the documents live, for people to read (`/node`, logs): a data directory, or a
    /// database named without its password.
    var location: String { get }
    /// The node's configuration: time zone, event defaults, peers.
    var configuration: NodeConfiguration { get }
    /// The sequence number of the last write, readable without waiting for the store: a value
    /// derived from the store at one `lastSeq` is current for as long as `lastSeq` stays the same.
    var lastSeq: UInt64 { get }

    /// Runs `body` on one consistent state of the store; the view cannot write.
    func read<T: Sendable>(_ body: nonisolated(nonsending) @Sendable (any StoreView) async throws -> T) async throws -> T

    /// Runs `body` as one transaction and returns once its writes are durable.
    /// - Throws: what `body` throws (then nothing is written), or the store's failure
    ///   (`StoreError.closed`, `.journalFailed`, an engine's error).
    func transact<T: Sendable>(_ body: nonisolated(nonsending) @Sendable (any StoreTransaction) async throws -> T) async throws -> T

    /// The current versions written after `since`, in sequence order, at most `limit`; only
    /// durable versions, so a peer never sees one this node could still lose.
    func changes(since: UInt64, limit: Int) async throws -> ChangeBatch

    /// The greatest timestamp this node has issued or received.
    func lastHLC() async throws -> HLC

    /// Figures for `/metrics` and `/health`.
    func statistics() async throws -> StoreStatistics

    /// Records `token` (a signed request's key id and nonce) as used until `expires`, for every
    /// process that serves this node; false when one of them used it already.
    func claimOnce(_ token: String, until expires: Date) async throws -> Bool

    /// The store's own upkeep while a node serves on it (the file store checks its document
    /// files); returns when it is done or the store closes.
    func maintain(logger: Logger) async

    /// Finishes what the store has started and lets go of what it holds (files, connections).
    /// Every call after it throws `StoreError.closed`; closing twice does nothing.
    func close() async
}

extension VersionedStore {
    /// A store one process owns shares nothing: the caller's own memory of tokens is the check.
    public func claimOnce(_ token: String, until expires: Date) async throws -> Bool { true }

    /// The current version of one document, tombstones included. See `StoreView.get`.
    public func get(_ collection: String, _ id: String) async throws -> Document? {
        try await read { try await $0.get(collection, id) }
    }

    /// The current versions filed under `key` in the secondary index `name`.
    public func documents(index name: String, key: String) async throws -> [Document] {
        try await read { try await $0.documents(index: name, key: key) }
    }

    /// How many documents are filed under `key` in the secondary index `name`.
    public func count(index name: String, key: String) async throws -> Int {
        try await read { try await $0.count(index: name, key: key) }
    }

    /// Every document of `collection`, tombstones included.
    public func documents(in collection: String) async throws -> [Document] {
        try await read { try await $0.documents(in: collection) }
    }

    /// Writes a new version of one document in a transaction of its own. See `StoreTransaction.put`.
    @discardableResult
    public func put(_ collection: String, _ id: String, body: JSONBody) async throws -> Document {
        try await transact { try await $0.put(collection, id, body: body) }
    }

    /// Deletes one document (writes a tombstone) in a transaction of its own.
    @discardableResult
    public func delete(_ collection: String, _ id: String) async throws -> Document? {
        try await transact { try await $0.delete(collection, id) }
    }

    /// The version stamps of a document, newest first: the current one and its bounded history.
    public func history(_ collection: String, _ id: String) async throws -> [Version] {
        guard let document = try await get(collection, id) else { return [] }
        return [document.version] + document.history
    }
}
