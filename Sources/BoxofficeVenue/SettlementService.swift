package import BoxofficeCore
package import BoxofficeStore
package import Foundation

/// The end-of-day settlement of a day at the venue, from the documents this node holds: every
/// node's figures it has synced, and the totals.
package struct SettlementService: Sendable {
    package let store: any VersionedStore
    package let timeZone: TimeZone
    package let now: @Sendable () -> Date

    package init(store: any VersionedStore, timeZone: TimeZone, now: @escaping @Sendable () -> Date) {
        self.store = store
        self.timeZone = timeZone
        self.now = now
    }

    /// Today in the venue's time zone, as `YYYY-MM-DD`.
    package func today() -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: now())
        return String(format: "%04d-%02d-%02d", parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
    }

    /// The settlement of `date` (`YYYY-MM-DD`, a day in the venue's time zone).
    package func settlement(of date: String) async throws -> Settlement {
        guard let day = CalendarDay(date), let start = day.start(in: timeZone), let end = day.end(in: timeZone) else {
            throw DomainError.invalidField("date", "date must be a day such as 2030-06-01")
        }
        let live = { (collection: String) in try await store.documents(in: collection).filter { !$0.deleted } }
        var events: [String: Event] = [:]
        for document in try await live(Event.collection) { events[document.id] = try? document.body.decode(Event.self) }
        let heldThatDay = Set(events.filter { (start...end).contains($0.value.date) }.map(\.key))
        // Only the tickets the day touches are decoded: their dates are read with the scanner.
        let tickets = try await live(Ticket.collection).filter { document in
            let fields = document.body.strings(["soldAt", "cancelledAt", "eventId"])
            let touches = { (field: String) in fields[field].flatMap(RFC3339.date(from:)).map { (start...end).contains($0) } ?? false }
            return touches("soldAt") || touches("cancelledAt") || fields["eventId"].map(heldThatDay.contains) == true
        }.compactMap { try? $0.body.decode(Ticket.self) }
        let checkIns = try await live(CheckIn.collection).compactMap { try? $0.body.decode(CheckIn.self) }
            .filter { (start...end).contains($0.scannedAt) || heldThatDay.contains($0.eventId) }
        let holds = try await live(Hold.collection).compactMap { try? $0.body.decode(Hold.self) }.filter { (start...end).contains($0.expiresAt) }
        return Settlement.compute(
            date: date,
            timeZone: timeZone,
            from: start,
            to: end,
            events: events,
            tickets: tickets,
            checkIns: checkIns,
            holds: holds,
            computedBy: store.nodeID,
            now: now()
        )
    }
}
