import Synchronization

/// The escrow events buyers were turned away from at this node for want of its own seats since
/// it started: demand that lets a node with no sales yet ask peers for seats (`SeatLedger`).
/// In memory only: after a restart the next refused sale notes it again.
public final class SeatDemand: Sendable {
    private let refused = Mutex<Set<String>>([])

    public init() {}

    func noteRefusal(of eventId: String) {
        refused.withLock { _ = $0.insert(eventId) }
    }

    func wasRefused(_ eventId: String) -> Bool {
        refused.withLock { $0.contains(eventId) }
    }
}
