import BoxofficeCore
import BoxofficeVenue
import Foundation
import Hummingbird

/// The end-of-day settlement (staff and organizers): `GET /reports/settlement.json?date=` and the
/// same figures as CSV, `GET /reports/settlement.csv?date=`, one row per node and event.
struct SettlementRoutes {
    let settlements: SettlementService

    func addRoutes(to group: RouterGroup<BoxofficeRequestContext>) {
        let staff = group.restricted(to: .staff)
        staff.get("reports/settlement.json") { request, _ -> Report in
            Report(settlement: try await settlements.settlement(of: try Self.date(request, timeZone: settlements.timeZone, now: settlements.now())))
        }
        staff.get("reports/settlement.csv") { request, _ -> Response in
            let date = try Self.date(request, timeZone: settlements.timeZone, now: settlements.now())
            let csv = SettlementCSV.text(try await settlements.settlement(of: date))
            return Response(
                status: .ok,
                headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"settlement-\(date).csv\""],
                body: .init(byteBuffer: ByteBuffer(string: csv))
            )
        }
    }

    /// The `date` asked for, or today in the venue's time zone.
    static func date(_ request: Request, timeZone: TimeZone, now: Date) throws -> String {
        guard let text = request.uri.queryParameters["date"].map(String.init)?.nilIfEmpty else { return today(timeZone: timeZone, now: now) }
        guard CalendarDay(text) != nil else { throw DomainError.invalidField("date", "date must be a day such as 2030-06-01") }
        return text
    }

    static func today(timeZone: TimeZone, now: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: now)
        return String(format: "%04d-%02d-%02d", parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
    }
}

/// The settlement as it encodes itself.
struct Report: ResponseEncodable {
    let settlement: Settlement

    func encode(to encoder: any Encoder) throws { try settlement.encode(to: encoder) }
}
