import BoxofficeCore
import Synchronization

/// Decoded bodies of documents read on every request (events, users), each valid for exactly
/// the version it was decoded from, so a changed or synced document is never served stale.
final class DecodedCache<Value: Decodable & Sendable>: Sendable {
    private let entries = Mutex<[String: (version: Version, value: Value)]>([:])
    private let limit: Int

    init(limit: Int = 10_000) {
        self.limit = limit
    }

    /// The body of `document` decoded as `Value`, from the cache when its version matches.
    func value(of document: Document) throws -> Value {
        if let hit = entries.withLock({ $0[document.id] }), hit.version == document.version { return hit.value }
        let value = try document.body.decode(Value.self)
        entries.withLock { entries in
            if entries.count >= limit { entries.removeAll(keepingCapacity: true) }  // bounded: start over rather than grow
            entries[document.id] = (document.version, value)
        }
        return value
    }
}
