import BoxofficeCore
import BoxofficeVenue
import Foundation
import Hummingbird

/// `GET /web/reports/settlement?date=`: the end-of-day settlement as a printable page, and
/// `GET /web/reports/settlement.csv?date=` its CSV, for staff and organizers signed in on the
/// pages (their session cookie, not a token).
struct SettlementPageRoutes {
    let settlements: SettlementService
    let shell: WebShell

    func addRoutes(to group: RouterGroup<BoxofficeRequestContext>) {
        let staff = group.restricted(to: .staff)
        staff.get("web/reports/settlement") { request, context -> Response in
            let date = SettlementRoutes.date(request, settlements)
            let page = SettlementPage(try await settlements.settlement(of: date))
            return try await shell.page("settlement", title: "Settlement \(date)", page, context: context, staff: true)
        }
        staff.get("web/reports/settlement.csv") { request, _ -> Response in
            try await SettlementRoutes.csv(of: SettlementRoutes.date(request, settlements), settlements)
        }
    }
}
