/// Settles an overbook event whose live tickets exceed its capacity once nodes meet again
/// (sync-spec.md, section 10.3): sales are ordered by `(sale HLC, node, ticket id)`, the first
/// `capacity` stand and the rest are oversold. It is a function of the set of sales alone, so
/// every node that knows the same sales reaches the same verdict, whatever order they arrived in.
public enum OversellRule {
    public static let rule = "overbook: sales ordered by (sale hlc, node, ticket id); the first capacity stand, the rest are oversold"
    /// The same order within one node's sales, when seats were reclaimed from it (sync-spec 10.4).
    public static let reclaimRule =
        "reclaimed: a node's sales ordered by (sale hlc, ticket id); the first as many as its seats stand, the rest are oversold"

    /// One live sale of the event.
    public struct Sale: Hashable, Comparable, Sendable {
        public var hlc: HLC
        public var node: String
        public var ticketId: String

        public init(hlc: HLC, node: String, ticketId: String) {
            self.hlc = hlc
            self.node = node
            self.ticketId = ticketId
        }

        public static func < (lhs: Sale, rhs: Sale) -> Bool {
            (lhs.hlc, lhs.node, lhs.ticketId) < (rhs.hlc, rhs.node, rhs.ticketId)
        }
    }

    /// The sales that do not stand: everything after the first `capacity` in sale order.
    ///
    /// A sale found oversold among some of the sales is oversold among any superset of them
    /// (at least `capacity` sales still precede it), so a node may act on a partial view.
    public static func oversold(_ sales: some Sequence<Sale>, capacity: Int) -> [Sale] {
        Array(sales.sorted().dropFirst(max(0, capacity)))
    }
}
