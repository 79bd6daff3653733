package import BoxofficeCore
package import BoxofficeStore
import BoxofficeSync
import Foundation

/// `OversellRule` on this node's store: an overbook event whose live tickets exceed its capacity
/// after nodes met again (sync-spec.md, section 10.3).
package enum Oversell {
    /// The live tickets of event `eventId` that the rule finds oversold, as `transaction` sees the
    /// store plus `stored` (versions a sync batch stored, not yet filed in the indexes).
    package static nonisolated(nonsending) func verdict(
        _ eventId: String,
        event: Event,
        adding stored: [Document] = [],
        in transaction: any StoreView
    ) async throws -> [(document: Document, ticket: Ticket)] {
        guard event.salesPolicy == .overbook else { return [] }
        let capacity = try await capacity(of: eventId, event, adding: stored, in: transaction)
        // Cheap bound first: filed live tickets plus everything the batch stored.
        let key = VenueIndexes.liveOfEvent(eventId)
        guard try await transaction.count(index: VenueIndexes.tickets, key: key) + stored.count > capacity else { return [] }
        let filed = try await transaction.documents(index: VenueIndexes.tickets, key: key)
        let live = try await VenueRules.current(Ticket.self, filed: filed, stored: stored, in: transaction) { $0.eventId == eventId && $0.isLive }
        guard live.count > capacity else { return [] }
        let byID = Dictionary(uniqueKeysWithValues: live.map { ($0.document.id, $0) })
        let sales = live.map { OversellRule.Sale(hlc: $0.value.saleOrder, node: $0.value.soldBy, ticketId: $0.document.id) }
        return OversellRule.oversold(sales, capacity: capacity).map { byID[$0.ticketId]! }.map { ($0.document, $0.value) }
    }

    /// The event's capacity now, counting the allocation rows the batch stored.
    package static nonisolated(nonsending) func capacity(
        of eventId: String,
        _ event: Event,
        adding stored: [Document],
        in transaction: any StoreView
    ) async throws -> Int {
        let filed = try await transaction.documents(index: VenueIndexes.allocations, key: VenueIndexes.ofEvent(eventId))
        let rows = try await VenueRules.current(AllocationRow.self, filed: filed, stored: stored, in: transaction) { $0.eventId == eventId }
        return SeatLedger.capacity(created: event.capacity, rows: rows.map(\.value))
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
        let standing = try await capacity(of: eventId, event, adding: stored, in: transaction)
        // Invariant: only the selling node changes a ticket's status, so no two nodes race to mark
        // one ticket; every node still reaches the same verdict and treats the ticket as oversold.
        for (ticketDocument, sold) in try await verdict(eventId, event: event, adding: stored, in: transaction) where sold.soldBy == node {
            var ticket = sold
            ticket.status = .oversold
            try await transaction.put(Ticket.collection, ticketDocument.id, body: JSONBody(encoding: ticket))
            let record = ConflictRecord(
                kind: "oversold",
                collection: Ticket.collection,
                documentId: ticketDocument.id,
                eventId: eventId,
                differingFields: ["status"],
                rule: OversellRule.rule,
                winner: "the first \(standing) sales of \(event.name) stand",
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
