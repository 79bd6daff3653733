import Foundation

extension DomainError: CustomStringConvertible {
    /// What went wrong, in words a client developer or an operator can act on: the `detail` of
    /// the problem the server answers with, and what the command line prints.
    public var description: String {
        switch self {
        case let .invalidField(_, detail), let .unprocessable(_, detail): detail
        case let .notFound(kind, id): "no \(kind) with id \"\(id)\""
        case let .unauthenticated(detail): detail
        case .invalidCredentials: "wrong email or password"
        case let .forbidden(detail): detail
        case .emailTaken: "an account with this email already exists"
        case let .notEnoughSeats(requested, available):
            available == 0 ? "sold out" : "only \(available) seat\(available == 1 ? "" : "s") left; \(requested) requested"
        case let .eventCancelled(eventId): "event \"\(eventId)\" is cancelled"
        case let .ticketAlreadyCancelled(ticketId): "ticket \"\(ticketId)\" is already cancelled"
        case let .ticketUsed(ticketId): "ticket \"\(ticketId)\" was scanned at the door; a used ticket cannot be cancelled"
        case let .alreadyCheckedIn(date, node, gate):
            "already checked in at \(date.formatted(.iso8601)) at \(gate.map { "gate \($0) on node \(node)" } ?? "node \(node)")"
        case let .duplicateAccount(holder):
            "this email was registered earlier on another venue's node (account \(holder)); this account is a duplicate and cannot sign in until staff resolve it"
        case let .conflictResolved(id): "conflict \(id) is resolved already; it does not go back to acknowledged"
        case let .ticketNotValid(code, status): "ticket \(code) is \(status) and admits no one"
        case let .holdExpired(holdId, date):
            "reservation \"\(holdId)\" expired at \(date.formatted(.iso8601)) and its seats went back on sale; hold seats again"
        case let .holdReleased(holdId): "reservation \"\(holdId)\" was released; hold seats again"
        case let .holdConfirmed(holdId): "reservation \"\(holdId)\" is already confirmed; cancel its tickets instead"
        case let .conflictsWithState(_, reason): reason
        case let .holdOnAnotherNode(holdId, node): "reservation \"\(holdId)\" holds seats of node \(node); confirm or release it there"
        case let .tooManyAttempts(seconds):
            "too many wrong passwords; try again in \(seconds) second\(seconds == 1 ? "" : "s")"
        case .idempotencyKeyReused: "this Idempotency-Key was already used with a different request"
        }
    }
}
