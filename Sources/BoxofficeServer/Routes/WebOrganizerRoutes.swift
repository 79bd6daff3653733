import BoxofficeCore
import BoxofficeStore
import BoxofficeVenue
import Foundation
import Hummingbird

/// The organizer's pages: create, edit and cancel an event; its seat allocation per node with
/// the transfer form; its sales by node.
struct WebOrganizerRoutes {
    let shell: WebShell
    let store: any VersionedStore
    let events: EventService
    let seats: SeatService

    struct EventForm: Sendable, Hashable {
        let id: String?
        let values: [String: String]
        /// The values the edit form was opened with, sent back beside the fields: only a field the
        /// organizer changed is saved, so a stale value in the form never undoes a change made since.
        let was: [Hidden]
        let errors: [String: String]
        let escrow: Bool
        let notice: String?
        let nodes: [NodeRow]
        /// Some node's seats are stranded offline and may be reclaimed.
        let stranded: Bool
        let cancelled: Bool
    }

    struct Hidden: Sendable, Hashable {
        let name: String
        let value: String
    }

    struct NodeRow: Sendable, Hashable {
        let node: String
        let seats: Int
        let sold: Int
        let revenue: String
        /// "online", "stranded offline since …", or that the node does not sync with this one.
        let standing: String
        /// Unsold seats an organizer may reclaim here: the node is offline and holds some.
        let reclaimable: Int?
    }

    func addRoutes(to group: RouterGroup<BoxofficeRequestContext>) {
        let organizers = group.restricted(to: .organizer)
        organizers.get("web/organizer/events/new") { _, context -> Response in
            let defaults = ["currency": "EUR", "holdMinutes": "\(Hold.defaultMinutes)", "salesPolicy": SalesPolicy.escrow.rawValue]
            return try await formPage(nil, values: defaults, context: context)
        }
        organizers.post("web/organizer/events/new") { request, context -> Response in
            let form = try await shell.form(request, context: context)
            let organizer = try context.requireIdentity()
            return try await shell.submit {
                let created = try await events.create(try Self.input(form), by: organizer)
                return Response(status: .seeOther, headers: [.location: "/web/organizer/events/\(created.id)"])
            } again: { error in
                try await formPage(nil, values: form, errors: error.errors(default: "name"), context: context, status: error.status)
            }
        }
        organizers.get("web/organizer/events/:id") { _, context -> Response in
            let view = try await events.view(context.parameters.require("id"))
            return try await formPage(view, values: Self.values(of: view), context: context)
        }
        organizers.post("web/organizer/events/:id") { request, context -> Response in
            let form = try await shell.form(request, context: context)
            let organizer = try context.requireIdentity()
            let id = try context.parameters.require("id")
            return try await shell.submit {
                var input = try Self.input(form)
                // The organizer changed the capacity by the difference to what the form showed; seats
                // added or removed elsewhere since then count too (capacity is per-node rows, §10.1).
                if let entered = input.capacity, let shown = form["capacity_was"].flatMap({ Int($0) }) {
                    input.capacity = try await events.view(id).availability.capacity + entered - shown
                }
                let view = try await events.update(id, with: input, by: organizer)
                return try await formPage(view, values: Self.values(of: view), notice: "Saved.", context: context)
            } again: { error in
                try await formPage(
                    try await events.view(id),
                    values: form,
                    was: Self.opened(form),
                    errors: error.errors(default: "name"),
                    context: context,
                    status: error.status
                )
            }
        }
        organizers.post("web/organizer/events/:id/reclaim") { request, context -> Response in
            try await seatForm(request, context: context, fallback: "node", shown: ["node"]) { id, form in
                let (view, count) = try await seats.reclaim(event: id, from: form["node"] ?? "", events: events)
                return (view, "Reclaimed \(count) seats from \(form["node"] ?? ""); this node sells them now.")
            }
        }
        organizers.post("web/organizer/events/:id/cancel") { request, context -> Response in
            _ = try await shell.form(request, context: context)
            let view = try await events.cancel(context.parameters.require("id"), by: try context.requireIdentity())
            return try await formPage(
                view,
                values: Self.values(of: view),
                notice: "The event is cancelled; ticket holders are told.",
                context: context
            )
        }
        organizers.post("web/organizer/events/:id/transfer") { request, context -> Response in
            try await seatForm(request, context: context, fallback: "seats", shown: ["to", "seats"]) { id, form in
                let count = Int(form["seats"] ?? "") ?? 0
                let view = try await seats.transfer(event: id, seats: count, to: form["to"] ?? "", events: events)
                return (view, "Gave \(count) seats to \(form["to"] ?? "").")
            }
        }
    }

    /// A seat form of the event page (transfer, reclaim): `act` does it and says what it did; a
    /// refusal shows the page again, its error by the field it names among `shown`, else by `fallback`.
    private func seatForm(
        _ request: Request,
        context: BoxofficeRequestContext,
        fallback: String,
        shown: Set<String>,
        _ act: (String, [String: String]) async throws -> (EventView, String)
    ) async throws -> Response {
        let form = try await shell.form(request, context: context)
        let id = try context.parameters.require("id")
        return try await shell.submit {
            let (view, notice) = try await act(id, form)
            return try await formPage(view, values: Self.values(of: view), notice: notice, context: context)
        } again: { error in
            let view = try await events.view(id)
            return try await formPage(
                view,
                values: Self.values(of: view),
                errors: error.errors(default: fallback, shown: shown),
                context: context,
                status: error.status
            )
        }
    }

    private func formPage(
        _ view: EventView?,
        values: [String: String],
        was: [String: String]? = nil,
        errors: [String: String] = [:],
        notice: String? = nil,
        context: BoxofficeRequestContext,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        // An edit form opens with the event's values; after a refused save, with those it was opened with.
        let opened = view == nil ? [:] : was ?? values
        let title = view.map { "Manage \($0.event.name)" } ?? "New event"
        var nodes: [NodeRow] = []
        if let view { nodes = try await nodeRows(view) }
        let page = EventForm(
            // The policy select is disabled on an edit form (not posted): the event's own policy shows.
            id: view?.id,
            values: values,
            was: opened.sorted { $0.key < $1.key }.map { Hidden(name: $0.key + "_was", value: $0.value) },
            errors: errors,
            escrow: (view?.event.salesPolicy.rawValue ?? values["salesPolicy"]) != SalesPolicy.overbook.rawValue,
            notice: notice,
            nodes: nodes,
            stranded: nodes.contains { $0.reclaimable != nil },
            cancelled: view?.event.status == .cancelled
        )
        return try await shell.page("event-form", title: title, page, context: context, staff: true, status: status)
    }

    /// Seats and sales per node: every node with an allocation or a sale, and how it stands here.
    private func nodeRows(_ view: EventView) async throws -> [NodeRow] {
        let date = seats.now()
        let escrow = view.event.salesPolicy == .escrow && view.event.status == .scheduled
        return try await store.read { store in
            let live = try await store.documents(index: VenueIndexes.tickets, key: VenueIndexes.liveOfEvent(view.id)).compactMap {
                try? $0.body.decode(Ticket.self)
            }
            let holders = try await seats.standings(of: view.id, event: view.event, sellers: Set(live.map(\.soldBy)), at: date, in: store)
            return holders.map { holder in
                let sold = live.filter { $0.soldBy == holder.node }
                var standing = "online"
                var reclaimable: Int?
                switch holder.standing {
                case .online: break
                case .unknown: standing = "syncs with other nodes, not this one"
                case let .offline(since):
                    standing = "offline since \(WebFormat.when(since))"
                    if escrow, holder.unsold > 0 {
                        standing = "\(holder.unsold) seats stranded offline since \(WebFormat.when(since))"
                        reclaimable = holder.unsold
                    }
                }
                return NodeRow(
                    node: holder.node,
                    seats: holder.seats,
                    sold: sold.count,
                    revenue: WebFormat.money(sold.reduce(Decimal(0)) { $0 + $1.price }, view.event.currency),
                    standing: standing,
                    reclaimable: reclaimable
                )
            }
        }
    }

    static func values(of view: EventView) -> [String: String] {
        let event = view.event
        return [
            "name": event.name, "description": event.description, "date": WebFormat.localInput(event.date), "location": event.location,
            "capacity": "\(view.availability.capacity)", "price": "\(event.price)", "currency": event.currency,
            "salesPolicy": event.salesPolicy.rawValue,
            "holdMinutes": "\(event.holdMinutes ?? Hold.defaultMinutes)",
        ]
    }

    /// The values an edit form was opened with, from its `<field>_was` companions.
    static func opened(_ form: [String: String]) -> [String: String] {
        Dictionary(uniqueKeysWithValues: form.compactMap { key, value in key.hasSuffix("_was") ? (String(key.dropLast(4)), value) : nil })
    }

    /// The event form's fields as the service takes them; a field that does not parse is named.
    /// On an edit form, a field left as it was opened is not sent (see `EventForm.was`).
    static func input(_ submitted: [String: String]) throws(DomainError) -> EventInput {
        let opened = opened(submitted)
        let form = submitted.filter { key, value in opened[key] != value }
        func number<T>(_ field: String, _ parse: (String) -> T?) throws(DomainError) -> T? {
            guard let text = form[field]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            guard let value = parse(text) else { throw .invalidField(field, "\(field) must be a number") }
            return value
        }
        var input = EventInput()
        input.name = form["name"]
        input.description = form["description"]
        input.location = form["location"]
        input.currency = form["currency"]
        if let text = form["date"], !text.isEmpty {
            guard let date = WebFormat.localInput(text) else { throw .invalidField("date", "date must be a day and a time") }
            input.date = date
        }
        input.capacity = try number("capacity") { Int($0) }
        input.price = try number("price", WebFormat.decimal)
        input.holdMinutes = try number("holdMinutes") { Int($0) }
        input.salesPolicy = form["salesPolicy"].flatMap(SalesPolicy.init(rawValue:))
        return input
    }
}
