import BoxofficeCore
import BoxofficeStore
import BoxofficeVenue
import Foundation
import Hummingbird

/// The box office's pages, for staff and organizers: check-in at the door, walk-in sales, and
/// today's events. Each shows the node's status strip.
struct WebStaffRoutes {
    let shell: WebShell
    let store: any VersionedStore
    let events: EventService
    let tickets: TicketService
    let checkIns: CheckInService
    let now: @Sendable () -> Date

    struct Scan: Sendable, Hashable {
        struct Result: Sendable, Hashable {
            let admitted: Bool
            let heading: String
            let detail: String
        }
        let code: String
        let gate: String
        let result: Result?
    }

    /// Uncached: every form has a fresh idempotency key.
    struct Sale: Sendable, Hashable, UncachedPage {
        struct Option: Sendable, Hashable {
            let id: String
            let label: String
            let selected: Bool
        }
        let events: [Option]
        /// How the walk-in pays: cash (first, the default), card or comp.
        let methods: [Option]
        /// The name the list is narrowed to, and whether more events match than it shows.
        let query: String
        let more: Bool
        let key: String
        let values: [String: String]
        let errors: [String: String]
        let sold: [String]
        let hasSold: Bool
    }

    struct Today: Sendable, Hashable {
        struct Row: Sendable, Hashable {
            let event: EventCard
            let checkedIn: Int
        }
        let rows: [Row]
    }

    func addRoutes(to group: RouterGroup<BoxofficeRequestContext>) {
        let staff = group.restricted(to: .staff)
        staff.get("web/staff/checkin") { _, context -> Response in
            try await shell.page("checkin", title: "Check-in", Scan(code: "", gate: "", result: nil), context: context, staff: true)
        }
        staff.post("web/staff/checkin") { request, context -> Response in
            let form = try await shell.form(request, context: context)
            let staff = try context.requireIdentity()
            let code = (form["code"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            let gate = (form["gate"] ?? "").trimmingCharacters(in: .whitespaces)
            let (result, status) = await scan(code, gate: gate.isEmpty ? nil : gate, by: staff)
            // The gate stays filled in for the next scan; the code field is cleared.
            return try await shell.page(
                "checkin",
                title: "Check-in",
                Scan(code: "", gate: gate, result: result),
                context: context,
                staff: true,
                status: status
            )
        }
        staff.get("web/staff/sale") { request, context -> Response in
            let query = request.uri.queryParameters["q"].map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
            return try await salePage(context: context, query: query)
        }
        staff.post("web/staff/sale") { request, context -> Response in
            let form = try await shell.form(request, context: context)
            let staff = try context.requireIdentity()
            return try await shell.submit {
                // At the counter the buyer is the walk-in, never the seller: the page asks for a name.
                guard let holderName = form["holderName"]?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty else {
                    throw DomainError.invalidField("holderName", "holderName must not be empty: the name of the walk-in buyer")
                }
                let method = try form["paymentMethod"].flatMap(\.nilIfEmpty).map { text in
                    // At the counter the money is taken there: cash, card, or nothing for a comp.
                    guard let method = PaymentMethod(rawValue: text), method != .online else {
                        throw DomainError.invalidField("paymentMethod", "paymentMethod must be cash, card or comp")
                    }
                    return method
                }
                let sale = SaleRequest(
                    eventId: form["eventId"] ?? "",
                    quantity: try WebShopRoutes.quantity(form["quantity"]),
                    holderName: holderName,
                    holderEmail: (form["holderEmail"] ?? "").nilIfEmpty,
                    paymentMethod: method
                )
                let sold = try await tickets.sell(sale, by: staff, idempotencyKey: form["key"])
                return try await salePage(context: context, query: form["q"] ?? "", sold: sold.map(\.value.code))
            } again: { error in
                try await salePage(
                    context: context,
                    query: form["q"] ?? "",
                    values: form,
                    errors: error.errors(default: "quantity"),
                    status: error.status
                )
            }
        }
        staff.get("web/staff/today") { _, context -> Response in
            let start = WebFormat.startOfDay(now())
            let listed = try await events.list(from: start, to: start.addingTimeInterval(86_400 - 1), limit: 100, cursor: nil).events
            var rows: [Today.Row] = []
            for view in listed {
                let checkedIn = try await store.count(index: VenueIndexes.checkIns, key: VenueIndexes.ofEvent(view.id))
                rows.append(Today.Row(event: EventCard(view), checkedIn: checkedIn))
            }
            return try await shell.page("today", title: "Today's events", Today(rows: rows), context: context, staff: true)
        }
    }

    /// The door's answer to one scan, in words, and the status that goes with it.
    private func scan(_ code: String, gate: String?, by staff: Identity) async -> (Scan.Result, HTTPResponse.Status) {
        do {
            let admission = try await checkIns.checkIn(code: code, gate: gate, by: staff)
            let detail = "\(admission.ticket.value.holderName), ticket \(admission.checkIn.code)"
            return (Scan.Result(admitted: true, heading: "Admitted", detail: detail), .ok)
        } catch {
            let problem = ProblemDetails(error, instance: nil)
            let heading =
                switch error as? DomainError {
                case .alreadyCheckedIn: "Already checked in"
                case .notFound: "Unknown ticket"
                case .ticketNotValid: "Not valid"
                case .invalidField: "Not a ticket code"
                default: "Not admitted"
                }
            return (Scan.Result(admitted: false, heading: heading, detail: problem.detail), problem.httpStatus)
        }
    }

    private func salePage(
        context: BoxofficeRequestContext,
        query: String = "",
        sold: [String] = [],
        values: [String: String] = [:],
        errors: [String: String] = [:],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        // The first 100 upcoming events, or those whose name has `query`: the list a seller picks from.
        let listed = try await events.list(from: nil, to: nil, matching: query.isEmpty ? nil : query, limit: 100, cursor: nil)
        var upcoming = listed.events.filter { $0.event.status != .cancelled }
        // Invariant: the event the seller chose stays in the list after a refused sale, selected;
        // otherwise the browser would select the first event and the next try would sell that one.
        if let chosen = values["eventId"], !upcoming.contains(where: { $0.id == chosen }), let view = try? await events.view(chosen),
            view.event.status != .cancelled
        {
            upcoming.insert(view, at: 0)
        }
        let options = upcoming.map { view in
            Sale.Option(
                id: view.id,
                label: "\(view.event.name), \(WebFormat.when(view.event.date)) (\(view.availability.remainingHere) left)",
                selected: view.id == values["eventId"]
            )
        }
        // A fresh key per form: a double-submitted form sells once.
        let chosenMethod = values["paymentMethod"] ?? PaymentMethod.cash.rawValue
        let methods = [PaymentMethod.cash, .card, .comp].map {
            Sale.Option(
                id: $0.rawValue,
                label: $0 == .comp ? "Complimentary (no charge)" : $0.rawValue.capitalized,
                selected: $0.rawValue == chosenMethod
            )
        }
        let page = Sale(
            events: options,
            methods: methods,
            query: query,
            more: listed.next != nil,
            key: Identifier.randomCode(length: 24),
            values: values,
            errors: errors,
            sold: sold,
            hasSold: !sold.isEmpty
        )
        return try await shell.page("sale", title: "Walk-in sale", page, context: context, staff: true, status: status)
    }
}
