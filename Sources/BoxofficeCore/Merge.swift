/// What a node does with a version of a document received from a peer, given the version it
/// stores: descent decides, and concurrent versions go by the collection's `MergeRule`
/// (sync-spec.md, section 5).
///
/// Guarantees: the decision depends only on the two versions, never on which node decides or
/// in which order versions arrive, so any order of syncs converges to the same documents; and
/// a concurrent loser is always reported, never silently dropped.
public enum MergeDecision: Equatable, Sendable {
    /// Store the incoming version: there was none, or it descends from the stored one.
    case apply
    /// Keep the stored version: it is the same, or it descends from the incoming one.
    case ignore
    /// Concurrent versions; the incoming one is greater in version order and replaces `loser`.
    case applyOverConcurrent(loser: Document)
    /// Concurrent versions; the stored one is greater and stays; the incoming one is the loser.
    case keepOverConcurrent(loser: Document)

    public static func decide(incoming: Document, stored: Document?) -> MergeDecision {
        guard let stored else { return .apply }
        switch incoming.relation(to: stored) {
        case .same, .ancestor: return .ignore
        case .descendant: return .apply
        case .concurrent:
            // Invariant: of two concurrent versions the rule picks the same one on every node alike.
            let incomingWins =
                switch MergeRule.of(collection: incoming.collection) {
                case .lastWriterWins: incoming.version > stored.version
                case .firstWriterWins: incoming.version < stored.version
                }
            return incomingWins ? .applyOverConcurrent(loser: stored) : .keepOverConcurrent(loser: incoming)
        }
    }

    /// Whether the incoming version is stored.
    public var storesIncoming: Bool {
        switch self {
        case .apply, .applyOverConcurrent: return true
        case .ignore, .keepOverConcurrent: return false
        }
    }

    /// The concurrent version that lost, to be recorded as a conflict; nil when there was none.
    public var loser: Document? {
        switch self {
        case let .applyOverConcurrent(loser), let .keepOverConcurrent(loser): return loser
        case .apply, .ignore: return nil
        }
    }
}
