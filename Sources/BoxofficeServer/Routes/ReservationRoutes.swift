import BoxofficeCore
import BoxofficeVenue
import Hummingbird

/// `/reservations`: hold seats, confirm them into tickets, release them.
struct ReservationRoutes {
    let reservations: ReservationService

    func addRoutes(to group: RouterGroup<BoxofficeRequestContext>) {
        let callers = group.restricted(to: .signedIn)
        callers.post("reservations") { request, context -> EditedResponse<Identified<Hold>> in
            let buyer = try context.requireIdentity()
            var request = request
            let input = try await request.decodeJSON(SaleRequest.self, context: context)
            return EditedResponse(status: .created, response: try await reservations.hold(input, by: buyer))
        }
        callers.get("reservations/:id") { _, context -> Identified<Hold> in
            try await reservations.hold(context.parameters.require("id"), by: try context.requireIdentity())
        }
        callers.post("reservations/:id/confirm") { _, context -> EditedResponse<TicketRoutes.Sale> in
            let tickets = try await reservations.confirm(context.parameters.require("id"), by: try context.requireIdentity())
            return EditedResponse(status: .created, response: TicketRoutes.Sale(tickets: tickets))
        }
        callers.delete("reservations/:id") { _, context -> Identified<Hold> in
            try await reservations.release(context.parameters.require("id"), by: try context.requireIdentity())
        }
    }
}
