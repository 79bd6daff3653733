extension Dictionary {
    /// Grows a full map four times over rather than the standard library's two: rehashing the
    /// store's maps as a sync filed 100,000 new documents took a tenth of the pull (bench/sync.sh).
    /// Invariant: at most four times the room the entries need, as the standard library keeps two.
    mutating func makeRoomForOneMore() {
        if count == capacity { reserveCapacity(Swift.max(16, capacity * 4)) }
    }
}
