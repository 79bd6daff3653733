package import BoxofficeCore
package import BoxofficeStore
import BoxofficeSync
import Foundation

/// `OversellRule` on this node's store: an overbook event whose live tickets exceed its capacity
/// after nodes met again (sync-spec.md, section 10.3), or an escrow event whose seats were
/// reclaimed from a node that then sold past what it kept (section 10.4).
package enum Oversell {
    /// A live ticket the rule finds oversold, and the words of the verdict.
    package struct Verdict: Sendable {
        package var document: Document
        package var ticket: Ticket
        package var rule: String
        package var winner: String
    }

    /// The live tickets of event `eventId` that the rule finds oversold, as `transaction` sees the
    /// store plus `stored` (versions a sync batch stored, not yet filed in the indexes).
    package static nonisolated(nonsending) func verdict(
        _ eventId: String,
        event: Event,
        adding stored: [Document] = [],
        in transaction: any StoreView
    ) async throws -> [Verdict] {
        let rows = try await rows(of: eventId, adding: stored, in: transaction)
        guard event.salesPolicy == .overbook else {
            return try await reclaimVerdict(eventId, event: event, rows: rows, adding: stored, in: transaction)
        }
        let capacity = SeatLedger.capacity(created: event.capacity, rows: rows)
        // Cheap bound first: filed live tickets plus everything the batch stored.
        let key = VenueIndexes.liveOfEvent(eventId)
        guard try await transaction.count(index: VenueIndexes.tickets, key: key) + stored.count > capacity else { return [] }
        let filed = try await transaction.documents(index: VenueIndexes.tickets, key: key)
        let live = try await VenueRules.current(Ticket.self, filed: filed, stored: stored, in: transaction) { $0.eventId == eventId && $0.isLive }
        let winner = "the first \(capacity) sales of \(event.name) stand"
        return oversold(live, standing: capacity).map { Verdict(document: $0.document, ticket: $0.value, rule: OversellRule.rule, winner: winner) }
    }

    /// Under escrow, only a node whose seats others reclaimed can have sold past its seats: its
    /// sales beyond them, in its own sale order, are oversold.
    private static nonisolated(nonsending) func reclaimVerdict(
        _ eventId: String,
        event: Event,
        rows: [AllocationRow],
        adding stored: [Document],
        in transaction: any StoreView
    ) async throws -> [Verdict] {
        let reclaimed = Set(rows.flatMap(\.reclaimed.keys)).filter { SeatLedger.reclaimed(from: $0, rows: rows) > 0 }
        guard !reclaimed.isEmpty else { return [] }
        var verdicts: [Verdict] = []
        for node in reclaimed.sorted() {
            let seats = max(0, SeatLedger.seats(of: node, initial: event.initialAllocations, rows: rows))
            let key = VenueIndexes.liveOfEvent(eventId, soldBy: node)
            guard try await transaction.count(index: VenueIndexes.tickets, key: key) + stored.count > seats else { continue }
            let filed = try await transaction.documents(index: VenueIndexes.tickets, key: key)
            let live = try await VenueRules.current(Ticket.self, filed: filed, stored: stored, in: transaction) {
                $0.eventId == eventId && $0.isLive && $0.soldBy == node
            }
            let winner = "seats of \(event.name) were reclaimed from \(node) while it was offline: its first \(seats) sales stand"
            verdicts += oversold(live, standing: seats).map {
                Verdict(document: $0.document, ticket: $0.value, rule: OversellRule.reclaimRule, winner: winner)
            }
        }
        // Two reclaims of one node made apart can leave more standing sales than the capacity: the
        // overbook rule settles the rest.
        let capacity = SeatLedger.capacity(created: event.capacity, rows: rows)
        let key = VenueIndexes.liveOfEvent(eventId)
        guard try await transaction.count(index: VenueIndexes.tickets, key: key) + stored.count - verdicts.count > capacity else { return verdicts }
        let voided = Set(verdicts.map(\.document.id))
        let filed = try await transaction.documents(index: VenueIndexes.tickets, key: key)
        let live = try await VenueRules.current(Ticket.self, filed: filed, stored: stored, in: transaction) {
            $0.eventId == eventId && $0.isLive
        }.filter { !voided.contains($0.document.id) }
        let winner = "the first \(capacity) sales of \(event.name) stand"
        return verdicts
            + oversold(live, standing: capacity).map { Verdict(document: $0.document, ticket: $0.value, rule: OversellRule.rule, winner: winner) }
    }

    /// The tickets after the first `standing` in sale order.
    private static func oversold(_ live: [(document: Document, value: Ticket)], standing: Int) -> [(document: Document, value: Ticket)] {
        guard live.count > standing else { return [] }
        let byID = Dictionary(uniqueKeysWithValues: live.map { ($0.document.id, $0) })
        let sales = live.map { OversellRule.Sale(hlc: $0.value.saleOrder, node: $0.value.soldBy, ticketId: $0.document.id) }
        return OversellRule.oversold(sales, capacity: standing).map { byID[$0.ticketId]! }
    }

    /// The event's allocation rows now, counting those the batch stored.
    private static nonisolated(nonsending) func rows(
        of eventId: String,
        adding stored: [Document],
        in transaction: any StoreView
    ) async throws -> [AllocationRow] {
        let filed = try await transaction.documents(index: VenueIndexes.allocations, key: VenueIndexes.ofEvent(eventId))
        return try await VenueRules.current(AllocationRow.self, filed: filed, stored: stored, in: transaction) { $0.eventId == eventId }.map(\.value)
    }

    /// Marks this node's oversold tickets of `eventId` as `oversold`, with one conflict record and
    /// one notification to the holder each.
    static nonisolated(nonsending) func settle(
        _ eventId: String,
        adding stored: [Document],
        in transaction: any StoreTransaction,
        node: String,
        now: Date
    ) async throws {
        guard let document = try await transaction.get(Event.collection, eventId), !document.deleted,
            let event = try? document.body.decode(Event.self), event.status == .scheduled
        else { return }
        // Invariant: only the selling node changes a ticket's status, so no two nodes race to mark
        // one ticket; every node still reaches the same verdict and treats the ticket as oversold.
        for verdict in try await verdict(eventId, event: event, adding: stored, in: transaction) where verdict.ticket.soldBy == node {
            let (ticketDocument, sold) = (verdict.document, verdict.ticket)
            var ticket = sold
            ticket.status = .oversold
            try await transaction.put(Ticket.collection, ticketDocument.id, body: JSONBody(encoding: ticket))
            let record = ConflictRecord(
                kind: "oversold",
                collection: Ticket.collection,
                documentId: ticketDocument.id,
                eventId: eventId,
                differingFields: ["status"],
                rule: verdict.rule,
                winner: verdict.winner,
                loser: "\(ticketDocument.id) sold by \(sold.soldBy) at \(sold.saleOrder) to \(sold.holderName)",
                loserDocument: String(decoding: DocumentJSON.compact(ticketDocument), as: UTF8.self),
                detectedBy: node,
                detectedAt: now
            )
            try await LocalNode.write(record, identity: "oversold/\(ticketDocument.id)", in: transaction)
            if let userId = sold.userId {
                let message =
                    "Sorry: \(event.name) was oversold while our box offices were offline, and your ticket \(sold.code) "
                    + "is not valid. Please contact the box office for a refund or another date."
                try await transaction.notify(userId, message, kind: .ticketOversold, eventId: eventId, at: now)
            }
        }
    }
}
