import Synchronization

/// A thread-safe cache of at most `limit` entries that keeps the ones in use: two generations,
/// a hit in the older one moves into the newer, and when the newer is full the older is dropped
/// and the newer takes its place. Entries unused for a generation go; hot ones never all go at
/// once (as they did when a full cache started over).
package final class BoundedCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Generations {
        var newer: [Key: Value] = [:]
        var older: [Key: Value] = [:]
    }

    private let generations = Mutex(Generations())
    private let generationSize: Int

    /// - Parameter limit: the most entries kept at once (at least 2).
    package init(limit: Int) {
        generationSize = max(1, limit / 2)
    }

    package subscript(key: Key) -> Value? {
        generations.withLock { generations in
            if let value = generations.newer[key] { return value }
            guard let value = generations.older.removeValue(forKey: key) else { return nil }
            Self.insert(value, for: key, into: &generations, generationSize: generationSize)
            return value
        }
    }

    package func set(_ value: Value, for key: Key) {
        generations.withLock { Self.insert(value, for: key, into: &$0, generationSize: generationSize) }
    }

    /// Removes and returns the value for `key`: of two callers taking one key, one gets it.
    package func take(_ key: Key) -> Value? {
        generations.withLock { $0.newer.removeValue(forKey: key) ?? $0.older.removeValue(forKey: key) }
    }

    /// Keeps `value` unless `key` is there; returns whether it was kept (atomically: of two
    /// callers adding one key, one succeeds).
    package func add(_ value: Value, for key: Key) -> Bool {
        generations.withLock { generations in
            guard generations.newer[key] == nil, generations.older[key] == nil else { return false }
            Self.insert(value, for: key, into: &generations, generationSize: generationSize)
            return true
        }
    }

    /// The value for `key`, made by `make` and kept when it is not there.
    package func value(for key: Key, make: () throws -> Value) rethrows -> Value {
        if let value = self[key] { return value }
        let value = try make()
        set(value, for: key)
        return value
    }

    package var count: Int { generations.withLock { $0.newer.count + $0.older.count } }

    private static func insert(_ value: Value, for key: Key, into generations: inout Generations, generationSize: Int) {
        // Invariant: each generation holds at most `generationSize` entries, so the cache at most twice that.
        if generations.newer[key] == nil, generations.newer.count >= generationSize {
            generations.older = generations.newer
            generations.newer = [:]
            generations.newer.reserveCapacity(generationSize)
        }
        generations.older.removeValue(forKey: key)
        generations.newer[key] = value
    }
}
