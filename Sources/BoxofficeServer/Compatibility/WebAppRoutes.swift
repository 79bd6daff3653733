import BoxofficeCore
import BoxofficeVenue
import Foundation
import HTTPTypes
import Hummingbird

/// The original web app's contract under `/api`, as its client's source reads it
/// (`frontend/src/services`, `pages`, `context/AuthContext.js` of the system this node replaces):
/// bare arrays where it calls `res.data.map`, the user's fields at the top of its profile, a
/// public ticket list with `available` entries, and its per-ticket purchase. The venue
/// controllers leave these paths to it under `/api` (`APIDialect.webApp`); `WebAppMiddleware`
/// adds `_id` beside every `id`, and every error carries `msg`.
struct WebAppRoutes {
    let accounts: UserRoutes
    let events: EventService
    let tickets: TicketService
    let notifications: NotificationService
    let timeZone: TimeZone
    let defaults: EventDefaults
    let now: @Sendable () -> Date

    /// Seats for sale an event's ticket list shows at most (each entry sells one).
    static let offersShown = 10
    /// Sold entries an event's ticket list shows by default (newest first), and at most.
    static let soldShown = (default: 100, max: 1_000)

    static let link = HTTPField.Name("Link")!

    struct Purchase: Decodable {
        var ticketId: String
        var userId: String?
    }

    func addRoutes(to group: RouterGroup<BoxofficeRequestContext>) {
        let callers = group.restricted(to: .signedIn)
        let organizers = group.restricted(to: .organizer)
        // Home page: `res.data.map(event => …)`. A bare array; the next page, when there is one,
        // is in a `Link: <…>; rel="next"` header (RFC 8288).
        group.get("events") { request, _ -> EditedResponse<[EventView]> in
            let query = try EventQuery(request, defaultLimit: 100, timeZone: timeZone)
            let page = try await query.page(of: events)
            var headers = HTTPFields()
            if let next = page.next { headers[Self.link] = "<\(request.uri.path)?\(query.query(after: next))>; rel=\"next\"" }
            return EditedResponse(headers: headers, response: page.events)
        }
        // The Create Event form: `{name, description, date: "YYYY-MM-DD", location}` with a bare
        // token. A day is that day at the default hour in the node's time zone; capacity, price
        // and currency come from the node's defaults when left out.
        organizers.post("events") { request, context -> EditedResponse<EventView> in
            let organizer = try context.requireIdentity()
            var request = request
            var input = try await request.decodeJSON(EventInput.self, context: context, decoder: formDecoder())
            input.capacity = input.capacity ?? defaults.capacity
            input.price = input.price ?? defaults.price
            input.currency = input.currency ?? defaults.currency
            // The home page lists events from now on: one made in the past would vanish.
            if let date = input.date, date < now() { throw DomainError.unprocessable("date", "date is in the past") }
            return EditedResponse(status: .created, response: try await events.create(input, by: organizer))
        }
        // The event page and the dashboard, without a token: seats for sale first (`available`,
        // with a Purchase button), then sold tickets, newest first, with no holder data.
        group.get("tickets/:id") { request, context -> [WebAppTicketEntry] in
            let limit = try request.limit(default: Self.soldShown.default, max: Self.soldShown.max)
            let view = try await events.view(try context.parameters.require("id"))
            let seats = view.event.date > now() ? view.availability : nil
            // Seats left elsewhere but none here: the listing is demand, so the continuous sync asks peers.
            if let seats, seats.remainingHere == 0, seats.remaining > 0 { tickets.demand.note(view.id) }
            let offers = (0..<min(seats?.remainingHere ?? 0, Self.offersShown)).map { _ in WebAppTicketEntry(offerOf: view.id, event: view.event) }
            return offers + (try await tickets.liveTickets(of: view.id, newest: limit)).map(WebAppTicketEntry.init(sold:))
        }
        // The Purchase button: `{ticketId, userId}` with a bare token. One seat through the one
        // sale step; the offer id is the idempotency key, so a repeat answers the same ticket.
        callers.post("tickets/purchase") { request, context -> EditedResponse<Identified<Ticket>> in
            let buyer = try context.requireIdentity()
            var request = request
            let purchase = try await request.decodeJSON(Purchase.self, context: context)
            // Invariant: the web app buys for the signed-in user only.
            guard purchase.userId == buyer.userId else { throw DomainError.forbidden("userId must be the id of the signed-in user") }
            guard let eventId = WebAppTicketEntry.event(ofOffer: purchase.ticketId) else {
                throw DomainError.invalidField(
                    "ticketId",
                    "ticket \(purchase.ticketId) is not for sale: reload the event page to see the tickets on sale"
                )
            }
            // A NUL never comes in an Idempotency-Key header: this key space is the web app's own.
            let sold = try await tickets.sell(
                SaleRequest(eventId: eventId, quantity: 1),
                by: buyer,
                idempotencyKey: "\u{0}purchase " + purchase.ticketId
            )
            guard let ticket = sold.first else { throw DomainError.notEnoughSeats(requested: 1, available: 0) }
            // A repeat of a purchase whose ticket was cancelled since is no purchase.
            guard ticket.value.isLive else {
                throw ticket.value.status == .cancelled
                    ? DomainError.ticketAlreadyCancelled(ticketId: ticket.id)
                    : DomainError.ticketNotValid(code: ticket.value.code, status: ticket.value.status.rawValue)
            }
            return EditedResponse(status: .created, response: ticket)
        }
        // The dashboard and the session (AuthContext) read the user's fields at the top level.
        callers.get("users/profile") { request, context -> WebAppProfile in
            let caller = try context.requireIdentity()
            return WebAppProfile(
                profile: try await accounts.profile(of: caller, request),
                events: try await tickets.eventsWithLiveTickets(ofUser: caller.userId)
            )
        }
        // The profile page: `notifRes.data.map(notif => notif._id, message, createdAt)`, newest first.
        callers.get("notifications/:id") { _, context -> [Identified<UserNotification>] in
            try await notifications.list(for: try context.parameters.require("id"), by: try context.requireIdentity())
        }
    }

    /// Reads dates as the Create Event form sends them (`YYYY-MM-DD`), and as the venue API does.
    private func formDecoder() -> JSONDecoder {
        let decoder = JSONCoding.makeDecoder()
        decoder.dateDecodingStrategy = .custom { [defaults, timeZone] decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = defaults.start(ofDay: text, in: timeZone) ?? RFC3339.date(from: text) else {
                throw DecodingError.dataCorruptedError(
                    in: container,
                    debugDescription: "expected a day such as 2031-07-04 or a date-time such as 2031-07-04T20:00:00Z"
                )
            }
            return date
        }
        return decoder
    }
}
