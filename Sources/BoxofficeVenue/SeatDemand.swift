import BoxofficeCore
import Synchronization

/// The escrow events buyers were turned away from at this node for want of its own seats since
/// it started: demand that lets a node with no sales yet ask peers for seats (`SeatLedger`).
/// In memory only: after a restart the next refused sale notes it again.
public final class SeatDemand: Sendable {
    private let refused = Mutex<Set<String>>([])

    public init() {}

    /// Runs `sale` (a sale or a hold of event `eventId`) and notes the event when it is refused
    /// for want of seats here: the continuous sync then asks peers for seats.
    func noting<T>(_ eventId: String, _ sale: () async throws -> T) async throws -> T {
        do {
            return try await sale()
        } catch DomainError.notEnoughSeats(let requested, let available) {
            note(eventId)
            throw DomainError.notEnoughSeats(requested: requested, available: available)
        }
    }

    /// Notes that buyers here want seats of `eventId` that this node does not hold.
    package func note(_ eventId: String) {
        refused.withLock { _ = $0.insert(eventId) }
    }

    package func wasRefused(_ eventId: String) -> Bool {
        refused.withLock { $0.contains(eventId) }
    }
}
