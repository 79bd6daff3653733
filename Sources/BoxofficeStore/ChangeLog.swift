/// The documents of the store (their slots in `DocumentIndex`) in the order of their sequence
/// numbers: the changes feed.
///
/// Appending is O(1); a document written again leaves a stale entry behind, skipped on reading
/// and dropped when stale entries outnumber live ones, so the log stays proportional to the store.
struct ChangeLog {
    private var entries: [(seq: UInt64, slot: Int)] = []
    private var stale = 0

    mutating func append(seq: UInt64, slot: Int, replacing: Bool) {
        // Invariant: entries stay sorted by seq, so a feed position is a binary search.
        precondition(entries.last.map { $0.seq < seq } ?? true, "sequence numbers must increase")
        entries.append((seq, slot))
        if replacing { stale += 1 }
    }

    /// Live entries after `since` up to `through`, at most `limit`, in sequence order.
    /// `current` tells the seq a slot's document has now, so stale entries are recognised.
    func entries(since: UInt64, through: UInt64, limit: Int, current: (Int) -> UInt64) -> [(seq: UInt64, slot: Int)] {
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].seq <= since { low = middle + 1 } else { high = middle }
        }
        var result: [(seq: UInt64, slot: Int)] = []
        var index = low
        while index < entries.count, result.count < limit {
            let entry = entries[index]
            if entry.seq > through { break }
            if current(entry.slot) == entry.seq { result.append(entry) }
            index += 1
        }
        return result
    }

    mutating func compactIfMostlyStale(current: (Int) -> UInt64) {
        guard stale > 1024, stale > entries.count / 2 else { return }
        entries.removeAll { current($0.slot) != $0.seq }
        stale = 0
    }
}
