import BoxofficeCore
import HTTPTypes
import Hummingbird

/// `/tickets`: buy, list an event's tickets, cancel.
struct TicketRoutes {
    let tickets: TicketService

    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!

    struct Sale: ResponseEncodable { var tickets: [Identified<Ticket>] }
    struct Listing: ResponseEncodable { var tickets: [Identified<Ticket>] }

    func addRoutes(to group: RouterGroup<BoxofficeRequestContext>) {
        group.post("tickets") { request, context -> EditedResponse<Sale> in
            let buyer = try context.requireIdentity()
            var request = request
            let sale = try await request.decodeJSON(SaleRequest.self, context: context)
            let key = request.headers[Self.idempotencyKey]
            return EditedResponse(status: .created, response: Sale(tickets: try await tickets.sell(sale, by: buyer, idempotencyKey: key)))
        }
        // The router wants one parameter name per position: here `:id` is the event's id.
        group.get("tickets/:id") { _, context -> Listing in
            Listing(tickets: try await tickets.tickets(of: context.parameters.require("id"), for: try context.requireIdentity()))
        }
        group.post("tickets/:id/cancel") { _, context -> Identified<Ticket> in
            try await tickets.cancel(context.parameters.require("id"), by: try context.requireIdentity())
        }
    }
}
