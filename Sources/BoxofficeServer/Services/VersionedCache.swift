import BoxofficeCore
import Synchronization

/// Values derived from documents read on every request (decoded events and users, encoded event
/// responses), each valid for exactly the stamp it was made from (a document version, plus the
/// sold count for a response), so a changed or synced document is never served stale.
final class VersionedCache<Stamp: Equatable & Sendable, Value: Sendable>: Sendable {
    private let entries = Mutex<[String: (stamp: Stamp, value: Value)]>([:])
    private let limit: Int

    init(limit: Int = 10_000) {
        self.limit = limit
    }

    /// The value for `id` made from `stamp`, from the cache when the stamp matches, else `make()`.
    func value(for id: String, stamp: Stamp, make: () throws -> Value) rethrows -> Value {
        if let hit = entries.withLock({ $0[id] }), hit.stamp == stamp { return hit.value }
        let value = try make()
        entries.withLock { entries in
            if entries.count >= limit { entries.removeAll(keepingCapacity: true) }  // bounded: start over rather than grow
            entries[id] = (stamp, value)
        }
        return value
    }
}

extension VersionedCache where Stamp == Version, Value: Decodable {
    /// The body of `document` decoded as `Value`.
    func decoded(_ document: Document) throws -> Value {
        try value(for: document.id, stamp: document.version) { try document.body.decode(Value.self) }
    }
}
