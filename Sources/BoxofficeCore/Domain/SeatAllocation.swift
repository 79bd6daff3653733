/// One node's row of an event's seat-transfer matrix: the seats it has given each other node,
/// cumulative. Only `node` ever writes its row, and its counts only grow, so rows never conflict
/// and every node that has seen the same rows computes the same allocations (a bounded counter,
/// Balegas et al. 2015).
public struct AllocationRow: Codable, Sendable, Equatable {
    public static let collection = "allocations"

    public var eventId: String
    public var node: String
    public var given: [String: Int]

    public init(eventId: String, node: String, given: [String: Int] = [:]) {
        self.eventId = eventId
        self.node = node
        self.given = given
    }

    /// The document id of `node`'s row for `eventId`.
    public static func id(eventId: String, node: String) -> String { eventId + "--" + node }
}

/// Escrow arithmetic: how many seats a node may sell on its own.
public enum SeatLedger {
    /// `node`'s seats: its initial share, plus what other nodes gave it, minus what it gave away.
    public static func seats(of node: String, initial: [String: Int], rows: [AllocationRow]) -> Int {
        let received = rows.filter { $0.node != node }.reduce(0) { $0 + ($1.given[node] ?? 0) }
        let givenAway = rows.first { $0.node == node }?.given.values.reduce(0, +) ?? 0
        return (initial[node] ?? 0) + received - givenAway
    }
}
