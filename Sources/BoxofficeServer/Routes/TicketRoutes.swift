import BoxofficeCore
import BoxofficeVenue
import HTTPTypes
import Hummingbird

extension Admission: ResponseEncodable {}

/// `/tickets`: buy, list an event's tickets, cancel.
struct TicketRoutes {
    let tickets: TicketService
    let checkIns: CheckInService

    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!

    struct Sale: ResponseEncodable { var tickets: [Identified<Ticket>] }
    struct Listing: ResponseEncodable { var tickets: [Identified<Ticket>] }
    struct Scan: Decodable { var gate: String? }

    func addRoutes(to group: RouterGroup<BoxofficeRequestContext>, dialect: APIDialect) {
        let callers = group.restricted(to: .signedIn)
        let staff = group.restricted(to: .staff)
        callers.post("tickets") { request, context -> EditedResponse<Sale> in
            let buyer = try context.requireIdentity()
            var request = request
            let sale = try await request.decodeJSON(SaleRequest.self, context: context)
            let key = request.headers[Self.idempotencyKey]
            return EditedResponse(status: .created, response: Sale(tickets: try await tickets.sell(sale, by: buyer, idempotencyKey: key)))
        }
        // The router wants one parameter name per position: here `:id` is the event's id. Under
        // /api the web app's public list answers here (WebAppRoutes).
        if dialect == .venue {
            callers.get("tickets/:id") { _, context -> Listing in
                Listing(tickets: try await tickets.tickets(of: context.parameters.require("id"), for: try context.requireIdentity()))
            }
        }
        // Staff scan a ticket by its code; `:id` is the code here (one parameter name per position).
        staff.post("tickets/:id/checkin") { request, context -> Admission in
            let staff = try context.requireIdentity()
            var request = request
            let scan = try await request.decodeJSON(Scan.self, context: context, absent: Scan(gate: nil))
            return try await checkIns.checkIn(code: context.parameters.require("id"), gate: scan.gate, by: staff)
        }
        callers.post("tickets/:id/cancel") { _, context -> Identified<Ticket> in
            try await tickets.cancel(context.parameters.require("id"), by: try context.requireIdentity())
        }
    }
}
