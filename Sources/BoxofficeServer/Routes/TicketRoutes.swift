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
    /// A page of an event's tickets, oldest sale first.
    struct Listing: ResponseEncodable {
        var tickets: [Identified<Ticket>]
        /// How many tickets the whole list holds.
        var total: Int
        /// Pass as `cursor` for the next page; absent on the last page.
        var nextCursor: String?
    }
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
            callers.get("tickets/:id") { request, context -> Listing in
                let query = try TicketQuery(request)
                let page = try await tickets.tickets(
                    of: context.parameters.require("id"),
                    for: try context.requireIdentity(),
                    limit: query.limit,
                    after: query.cursor
                )
                return Listing(tickets: page.tickets, total: page.total, nextCursor: page.next?.token)
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
