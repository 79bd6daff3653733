/// Which of two concurrent versions of a document stands (sync-spec.md, section 5).
public enum MergeRule: String, Sendable, Equatable {
    /// The greater `(hlc, node)`: the latest edit stands. Users, events, notifications, conflict records.
    case lastWriterWins = "last-writer-wins"
    /// The smaller `(hlc, node)`: the first stands. Check-ins: the earliest scan of a ticket admits it.
    case firstWriterWins = "first-writer-wins"

    /// The rule of a collection.
    public static func of(collection: String) -> MergeRule {
        collection == CheckIn.collection ? .firstWriterWins : .lastWriterWins
    }
}
