import BoxofficeCore
import BoxofficeVenue
import Foundation
import Hummingbird

/// The pages a buyer uses: upcoming events, an event, checkout as hold → confirm, my tickets.
struct WebShopRoutes {
    let shell: WebShell
    let events: EventService
    let tickets: TicketService
    let reservations: ReservationService
    let now: @Sendable () -> Date

    struct Home: Sendable, Hashable {
        let query: String
        let from: String
        let to: String
        let events: [EventCard]
        let error: String?
        /// The next page of the same search, when there is one.
        let more: String?
    }

    /// Events on one home page; the rest are a "More" link away.
    static let pageSize = 50

    struct EventPage: Sendable, Hashable {
        let event: EventCard
        let canBuy: Bool
        let quantity: String
        let errors: [String: String]
    }

    /// Uncached: its countdown changes every second.
    struct HoldPage: Sendable, Hashable, UncachedPage {
        let id: String
        let event: EventCard
        let seats: Int
        let until: String
        let secondsLeft: Int
        let minutesLeft: Int
        let open: Bool
        let confirmed: Bool
        let gone: Bool
        let error: String?
    }

    struct TicketCard: Sendable, Hashable {
        let id: String
        let code: String
        let holderName: String
        let event: String
        let when: String
        let location: String
        let status: String
        let live: Bool
    }

    struct MyTickets: Sendable, Hashable {
        let tickets: [TicketCard]
    }

    func addRoutes(to group: RouterGroup<BoxofficeRequestContext>) {
        let callers = group.restricted(to: .signedIn)
        group.get("/") { request, context -> Response in
            let query = request.uri.queryParameters["q"].map(String.init) ?? ""
            let fromText = request.uri.queryParameters["from"].map(String.init) ?? ""
            let toText = request.uri.queryParameters["to"].map(String.init) ?? ""
            let from = WebFormat.day(fromText)
            // The "to" day is included whole.
            let to = WebFormat.day(toText)?.addingTimeInterval(86_400 - 1)
            let dateError = (!fromText.isEmpty && from == nil) || (!toText.isEmpty && to == nil) ? "Dates are written like 2030-06-01." : nil
            let cursor = request.uri.queryParameters["cursor"].flatMap { EventCursor(token: String($0)) }
            let listed = try await events.list(from: from, to: to, matching: query.nilIfEmpty, limit: Self.pageSize, cursor: cursor)
            let more = listed.next.map { next in
                "/?"
                    + [("q", query), ("from", fromText), ("to", toText), ("cursor", next.token)].filter { !$0.1.isEmpty }.map {
                        "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
                    }.joined(separator: "&")
            }
            let home = Home(query: query, from: fromText, to: toText, events: listed.events.map(EventCard.init), error: dateError, more: more)
            return try await shell.page("home", title: "Upcoming events", home, context: context)
        }
        group.get("web/events/:id") { _, context -> Response in
            try await eventPage(context.parameters.require("id"), context: context)
        }
        callers.post("web/events/:id/hold") { request, context -> Response in
            let form = try await shell.form(request, context: context)
            let buyer = try context.requireIdentity()
            let id = try context.parameters.require("id")
            return try await shell.submit {
                let quantity = try Self.quantity(form["quantity"])
                let hold = try await reservations.hold(SaleRequest(eventId: id, quantity: quantity), by: buyer)
                return Response(status: .seeOther, headers: [.location: "/web/holds/\(hold.id)"])
            } again: { error in
                try await eventPage(id, context: context, quantity: form["quantity"] ?? "", refused: error)
            }
        }
        callers.get("web/holds/:id") { _, context -> Response in
            try await holdPage(context.parameters.require("id"), context: context)
        }
        callers.post("web/holds/:id/confirm") { request, context -> Response in
            _ = try await shell.form(request, context: context)
            let id = try context.parameters.require("id")
            return try await shell.submit {
                _ = try await reservations.confirm(id, by: try context.requireIdentity())
                return Response(status: .seeOther, headers: [.location: "/web/tickets"])
            } again: { error in
                try await holdPage(id, context: context, error: error.message, status: error.status)
            }
        }
        callers.post("web/holds/:id/release") { request, context -> Response in
            _ = try await shell.form(request, context: context)
            let hold = try await reservations.release(context.parameters.require("id"), by: try context.requireIdentity())
            return Response(status: .seeOther, headers: [.location: "/web/events/\(hold.value.eventId)"])
        }
        callers.get("web/tickets") { _, context -> Response in
            let buyer = try context.requireIdentity()
            var cards: [TicketCard] = []
            var seen: [String: EventCard] = [:]
            for ticket in try await tickets.tickets(ofUser: buyer.userId).reversed() {
                let value = ticket.value
                let event: EventCard
                if let known = seen[value.eventId] {
                    event = known
                } else {
                    event = EventCard(try await events.view(value.eventId))
                    seen[value.eventId] = event
                }
                cards.append(
                    TicketCard(
                        id: ticket.id,
                        code: value.code,
                        holderName: value.holderName,
                        event: event.name,
                        when: event.when,
                        location: event.location,
                        status: value.status.rawValue,
                        live: value.isLive
                    )
                )
            }
            return try await shell.page("tickets", title: "My tickets", MyTickets(tickets: cards), context: context)
        }
    }

    /// The event page; after a refused hold, with why next to the quantity.
    private func eventPage(_ id: String, context: BoxofficeRequestContext, quantity: String = "1", refused: FormError? = nil) async throws -> Response
    {
        let card = EventCard(try await events.view(id))
        let errors = refused.map { ["quantity": Self.message(for: $0, card)] } ?? [:]
        let page = EventPage(event: card, canBuy: !card.cancelled && !card.soldOut, quantity: quantity, errors: errors)
        return try await shell.page("event", title: card.name, page, context: context, status: refused?.status ?? .ok)
    }

    /// Why a hold was refused, in words. When the seats asked for are left elsewhere but not at
    /// this node, the refusal has noted the demand and the node asks its peers for seats: a moment
    /// later the hold can succeed.
    static func message(for refused: FormError, _ card: EventCard) -> String {
        guard case let .notEnoughSeats(requested, available) = refused.cause, requested <= card.remaining else { return refused.message }
        let left = available == 0 ? "no seats" : "only \(available) seat\(available == 1 ? "" : "s")"
        return "this box office has \(left) left right now; try again in a moment"
    }

    private func holdPage(
        _ id: String,
        context: BoxofficeRequestContext,
        error: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let hold = try await reservations.hold(id, by: try context.requireIdentity()).value
        let event = EventCard(try await events.view(hold.eventId))
        let seconds = max(0, Int(hold.expiresAt.timeIntervalSince(now())))
        let open = hold.isHolding(at: now())
        let page = HoldPage(
            id: id,
            event: event,
            seats: hold.seats,
            until: WebFormat.time(hold.expiresAt),
            secondsLeft: seconds,
            minutesLeft: (seconds + 59) / 60,
            open: open,
            confirmed: hold.status == .confirmed,
            gone: !open && hold.status != .confirmed,
            error: error
        )
        return try await shell.page("hold", title: "Your seats for \(event.name)", page, context: context, status: status)
    }

    /// A quantity field: a whole number, or the words to show next to it.
    static func quantity(_ text: String?) throws(DomainError) -> Int {
        guard let text, let quantity = Int(text.trimmingCharacters(in: .whitespaces)) else {
            throw .invalidField("quantity", "quantity must be a whole number from 1 to \(TicketService.maxQuantity)")
        }
        return quantity
    }
}
