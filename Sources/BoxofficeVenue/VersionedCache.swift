package import BoxofficeCore

/// Values derived from documents read on every request (decoded events and users, encoded event
/// responses), each valid for exactly the stamp it was made from (a document version, plus the
/// sold count for a response), so a changed or synced document is never served stale.
package final class VersionedCache<Stamp: Equatable & Sendable, Value: Sendable>: Sendable {
    private let entries: BoundedCache<String, Entry>

    private struct Entry: Sendable {
        let stamp: Stamp
        let value: Value
    }

    package init(limit: Int = 10_000) {
        entries = BoundedCache(limit: limit)
    }

    /// The value for `id` made from `stamp`, from the cache when the stamp matches, else `make()`.
    package func value(for id: String, stamp: Stamp, make: () throws -> Value) rethrows -> Value {
        if let hit = cached(id, stamp: stamp) { return hit }
        let value = try make()
        keep(value, for: id, stamp: stamp)
        return value
    }

    /// The value kept for `id` if it was made from `stamp`.
    package func cached(_ id: String, stamp: Stamp) -> Value? {
        entries[id].flatMap { $0.stamp == stamp ? $0.value : nil }
    }

    /// Keeps `value`, made from `stamp`, for `id`.
    package func keep(_ value: Value, for id: String, stamp: Stamp) {
        entries.set(Entry(stamp: stamp, value: value), for: id)
    }
}

extension VersionedCache where Stamp == Version, Value: Decodable {
    /// The body of `document` decoded as `Value`.
    package func decoded(_ document: Document) throws -> Value {
        try value(for: document.id, stamp: document.version) { try document.body.decode(Value.self) }
    }
}
