public import Foundation

/// Why a request of the venue API cannot be done, in the domain's words. The server turns each
/// case into one HTTP status and a problem+json body, in one place.
public enum DomainError: Error, Equatable, Sendable {
    /// A field of a request is missing or wrong; `detail` says how, in words.
    case invalidField(_ field: String, _ detail: String)
    /// Fields that are each well formed but together, or against the clock, cannot be taken
    /// (allocations that do not add up to the capacity, a new event dated in the past).
    case unprocessable(_ field: String, _ detail: String)
    /// No such thing (`kind` is "event", "ticket", …).
    case notFound(kind: String, id: String)
    /// The request needs a signed-in user.
    case unauthenticated(String)
    /// Email or password wrong: one message for both, so accounts cannot be probed.
    case invalidCredentials
    /// Signed in, but not allowed.
    case forbidden(String)
    /// Another account already has this email.
    case emailTaken
    /// Fewer seats are left than asked for.
    case notEnoughSeats(requested: Int, available: Int)
    /// The event was cancelled: nothing more is sold.
    case eventCancelled(eventId: String)
    /// The ticket was already cancelled.
    case ticketAlreadyCancelled(ticketId: String)
    /// The ticket was scanned at the door: it cannot be cancelled.
    case ticketUsed(ticketId: String)
    /// An idempotency key was used before with a different request.
    case idempotencyKeyReused
    /// The ticket was already scanned: when, at which node and gate.
    case alreadyCheckedIn(at: Date, node: String, gate: String?)
    /// This account's email was registered earlier on another node: it cannot sign in until resolved.
    case duplicateAccount(of: String)
    /// A resolved conflict record stays resolved: it does not go back to acknowledged.
    case conflictResolved(id: String)
    /// The ticket does not admit anyone any more (cancelled).
    case ticketNotValid(code: String, status: String)
    /// A hold (reservation) ran out before it was confirmed: its seats went back on sale.
    case holdExpired(holdId: String, at: Date)
    /// A hold was released before it was confirmed.
    case holdReleased(holdId: String)
    /// A confirmed hold cannot be released: its tickets are cancelled one by one.
    case holdConfirmed(holdId: String)
    /// A hold holds the seats of the node that made it: only that node confirms or releases it.
    case holdOnAnotherNode(holdId: String, node: String)
    /// A well-formed request the current state refuses: seats given to a node not known yet, a
    /// capacity below the seats sold, a sales policy changed after creation.
    case conflictsWithState(field: String, reason: String)
    /// Too many wrong passwords for one account or from one address: wait `retryAfter` seconds.
    case tooManyAttempts(retryAfter: Int)
}
