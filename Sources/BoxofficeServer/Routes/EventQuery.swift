import BoxofficeCore
import BoxofficeVenue
import Foundation
import Hummingbird

/// What an event listing asks for: `limit`, `from`, `to` and `cursor` of `GET /events`.
struct EventQuery {
    let limit: Int
    let from: Date?
    let to: Date?
    let cursor: EventCursor?

    /// `from` and `to` take a date-time, or a day in the venue's `timeZone` (from its start, to its end).
    init(_ request: Request, defaultLimit: Int, timeZone: TimeZone) throws(DomainError) {
        let what = "an ISO 8601 date-time such as 2030-01-01T20:00:00Z or a day such as 2030-01-01"
        limit = try request.limit(default: defaultLimit, max: 100)
        from = try request.query("from", what, emptyIsAbsent: true) { RFC3339.date(from: $0) ?? CalendarDay($0)?.start(in: timeZone) }
        to = try request.query("to", what, emptyIsAbsent: true) { RFC3339.date(from: $0) ?? CalendarDay($0)?.end(in: timeZone) }
        cursor = try request.query("cursor", "the nextCursor of a previous page", emptyIsAbsent: true, EventCursor.init(token:))
    }

    func page(of events: EventService) async throws -> (events: [EventView], next: EventCursor?) {
        try await events.list(from: from, to: to, limit: limit, cursor: cursor)
    }

    /// The query of the page after this one, rebuilt from what was understood (nothing a client
    /// sent passes through unread).
    func query(after next: EventCursor) -> String {
        let dates = [("from", from), ("to", to)].compactMap { name, date in date.map { "&\(name)=\($0.formatted(.iso8601))" } }
        return "limit=\(limit)" + dates.joined() + "&cursor=\(next.token)"
    }
}
