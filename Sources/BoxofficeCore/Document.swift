/// One stored thing: a user, an event, a ticket, a notification, a conflict record.
///
/// A document is immutable; a write makes a new `Document` whose `history` lists the versions
/// it descends from, newest first. Deletion is a version too (a tombstone, `deleted == true`).
public struct Document: Hashable, Sendable {
    public let collection: String
    public let id: String
    public let version: Version
    /// Ancestor versions, newest first, at most the store's history limit.
    public let history: [Version]
    public let deleted: Bool
    public let body: JSONBody

    public init(collection: String, id: String, version: Version, history: [Version], deleted: Bool, body: JSONBody) {
        self.collection = collection
        self.id = id
        self.version = version
        self.history = history
        self.deleted = deleted
        self.body = body
    }

    public var key: DocumentKey { DocumentKey(collection: collection, id: id) }

    /// A new version of this document that descends from this one.
    public func successor(version: Version, body: JSONBody, deleted: Bool, historyLimit: Int) -> Document {
        // Invariant: history is bounded; the oldest stamps fall off first.
        let history = Array(([self.version] + self.history).prefix(historyLimit))
        return Document(collection: collection, id: id, version: version, history: history, deleted: deleted, body: body)
    }

    /// How this version relates to `other`, a version of the same document.
    public func relation(to other: Document) -> VersionRelation {
        if version == other.version { return .same }
        if history.contains(other.version) { return .descendant }
        if other.history.contains(version) { return .ancestor }
        return .concurrent
    }
}

/// The causal relation of one document version to another.
public enum VersionRelation: Sendable, Equatable {
    /// The same version.
    case same
    /// This version descends from the other: it supersedes it with no conflict.
    case descendant
    /// The other version descends from this one: this one is already superseded.
    case ancestor
    /// Neither descends from the other: a conflict, decided by last-writer-wins.
    case concurrent
}

/// Where a document lives: its collection and its id.
public struct DocumentKey: Hashable, Sendable, CustomStringConvertible {
    public let collection: String
    public let id: String

    public init(collection: String, id: String) {
        self.collection = collection
        self.id = id
    }

    public var description: String { "\(collection)/\(id)" }
}
