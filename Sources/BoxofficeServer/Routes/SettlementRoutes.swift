import BoxofficeCore
import BoxofficeVenue
import Foundation
import Hummingbird

/// The end-of-day settlement (staff and organizers): `GET /reports/settlement.json?date=` and the
/// same figures as CSV, `GET /reports/settlement.csv?date=`, one row per node and event.
struct SettlementRoutes {
    let settlements: SettlementService

    /// The settlement as it encodes itself (a public type of the core cannot take the
    /// conformance here).
    struct Answer: ResponseEncodable {
        let settlement: Settlement

        func encode(to encoder: any Encoder) throws { try settlement.encode(to: encoder) }
    }

    func addRoutes(to group: RouterGroup<BoxofficeRequestContext>) {
        let staff = group.restricted(to: .staff)
        staff.get("reports/settlement.json") { request, _ -> Answer in
            Answer(settlement: try await settlements.settlement(of: Self.date(request, settlements)))
        }
        staff.get("reports/settlement.csv") { request, _ -> Response in
            try await Self.csv(of: Self.date(request, settlements), settlements)
        }
    }

    /// The `date` asked for, or today in the venue's time zone (the service checks it).
    static func date(_ request: Request, _ settlements: SettlementService) -> String {
        request.uri.queryParameters["date"].map(String.init)?.nilIfEmpty ?? settlements.today()
    }

    /// The settlement of `date` as a CSV download.
    static func csv(of date: String, _ settlements: SettlementService) async throws -> Response {
        let csv = SettlementCSV.text(try await settlements.settlement(of: date))
        return Response(
            status: .ok,
            headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"settlement-\(date).csv\""],
            body: .init(byteBuffer: ByteBuffer(string: csv))
        )
    }
}
