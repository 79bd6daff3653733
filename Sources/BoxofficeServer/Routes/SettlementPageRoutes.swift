import BoxofficeCore
import BoxofficeVenue
import Foundation
import Hummingbird

/// `GET /web/reports/settlement?date=`: the end-of-day settlement as a printable page, for staff
/// and organizers signed in on the pages.
struct SettlementPageRoutes {
    let settlements: SettlementService
    let shell: WebShell

    func addRoutes(to group: RouterGroup<BoxofficeRequestContext>) {
        group.restricted(to: .staff).get("web/reports/settlement") { request, context -> Response in
            let date = try SettlementRoutes.date(request, timeZone: settlements.timeZone, now: settlements.now())
            let page = SettlementPage(try await settlements.settlement(of: date))
            return try await shell.page("settlement", title: "Settlement \(date)", page, context: context, staff: true)
        }
    }
}
