import BoxofficeCore
import BoxofficeVenue
import Hummingbird

/// What a page of a ticket list asks for: `limit` and `cursor` (`GET /tickets/{eventId}`, `GET /users/profile`).
struct TicketQuery {
    let limit: Int
    let cursor: TicketCursor?

    init(_ request: Request) throws(DomainError) {
        limit = try request.limit(default: 100, max: 1_000)
        cursor = try request.query("cursor", "the nextCursor of a previous page", emptyIsAbsent: true, TicketCursor.init(token:))
    }
}
