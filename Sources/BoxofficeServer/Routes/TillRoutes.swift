import BoxofficeCore
import BoxofficeVenue
import Foundation
import Hummingbird

/// Cash drawers (staff): `POST /tills` opens one with a float, `POST /tills/{id}/close` closes it
/// with the counted cash and answers expected, counted and the difference; `GET /tills` lists them.
struct TillRoutes {
    let tills: TillService

    struct Opening: Decodable {
        var float: Decimal
        var currency: String
    }

    struct Closing: Decodable {
        var counted: Decimal
    }

    /// A till with its difference (counted less expected; negative when the drawer is short).
    struct TillView: ResponseEncodable {
        var till: Identified<Till>
        var difference: Money?

        private enum Keys: String, CodingKey { case difference }

        func encode(to encoder: any Encoder) throws {
            try till.encode(to: encoder)
            var container = encoder.container(keyedBy: Keys.self)
            try container.encodeIfPresent(difference, forKey: .difference)
        }

        init(_ till: Identified<Till>) {
            self.till = till
            difference = till.value.difference
        }
    }

    struct Listing: ResponseEncodable {
        var tills: [TillView]
    }

    func addRoutes(to group: RouterGroup<BoxofficeRequestContext>) {
        let staff = group.restricted(to: .staff)
        staff.post("tills") { request, context -> EditedResponse<TillView> in
            var request = request
            let opening = try await request.decodeJSON(Opening.self, context: context)
            let till = try await tills.open(float: opening.float, currency: opening.currency, by: try context.requireIdentity())
            return EditedResponse(status: .created, response: TillView(till))
        }
        staff.post("tills/:id/close") { request, context -> TillView in
            var request = request
            let closing = try await request.decodeJSON(Closing.self, context: context)
            return TillView(try await tills.close(context.parameters.require("id"), counted: closing.counted, by: try context.requireIdentity()))
        }
        staff.get("tills") { _, _ -> Listing in
            Listing(tills: try await tills.list().map(TillView.init))
        }
    }
}
