package import BoxofficeCore
import BoxofficeStore
import Foundation

/// One page of a ticket list in sale order (oldest sale first; the tickets of one sale by id), with
/// how many the whole list holds.
package struct TicketPage: Sendable {
    package var tickets: [Identified<Ticket>]
    package var total: Int
    /// Where the next page starts; nil on the last page.
    package var next: TicketCursor?

    /// The page of `documents` (tickets) after `cursor`, `limit` long. Only the page's tickets
    /// are decoded: the order is read from each body with the scanner, so a page of an event with
    /// 166,000 tickets costs a scan and a sort, not 166,000 decodes.
    package static func of(_ documents: [Document], limit: Int, after cursor: TicketCursor?) throws -> TicketPage {
        // Invariant: the order is the sale order, which no later version of a ticket changes (a
        // cancellation or a scan keeps its place), so pages neither repeat nor skip a ticket.
        let ordered = TicketCursor.inSaleOrder(documents)
        let start = cursor.map { cursor in ordered.partitionPoint { $0.key <= cursor } } ?? 0
        let page = ordered[start...].prefix(limit)
        let next = start + page.count < ordered.count ? page.last?.key : nil
        return TicketPage(tickets: try page.map { try Identified<Ticket>(decoding: $0.document) }, total: ordered.count, next: next)
    }
}

/// Where a page of tickets ends: the last ticket's sale order, then its id. Opaque to clients:
/// `<sale HLC>_<id>`.
package struct TicketCursor: Sendable, Comparable {
    let order: HLC
    let id: String

    package var token: String { "\(order)_\(id)" }

    package init?(token: String) {
        guard let separator = token.firstIndex(of: "_"), let order = HLC(token[..<separator]) else { return nil }
        let id = String(token[token.index(after: separator)...])
        guard Identifier.isValid(id) else { return nil }
        self.order = order
        self.id = id
    }

    /// A ticket's place: its `saleHLC`, or for a ticket sold before nodes recorded one, its
    /// `soldAt` as an HLC (as `Ticket.saleOrder`).
    init(saleOrderOf document: Document) {
        let fields = document.body.strings(["saleHLC", "soldAt"])
        let recorded = fields["saleHLC"].flatMap { HLC($0) }
        let soldAt = fields["soldAt"].flatMap { RFC3339.date(from: $0) }.map {
            HLC(wallMillis: UInt64(max(0, $0.timeIntervalSince1970 * 1000)), counter: 0)
        }
        order = recorded ?? soldAt ?? .zero
        id = document.id
    }

    /// Ticket documents in sale order, each with its place.
    static func inSaleOrder(_ documents: [Document]) -> [(key: TicketCursor, document: Document)] {
        documents.map { (key: TicketCursor(saleOrderOf: $0), document: $0) }.sorted { $0.key < $1.key }
    }

    package static func < (lhs: TicketCursor, rhs: TicketCursor) -> Bool {
        (lhs.order, lhs.id) < (rhs.order, rhs.id)
    }
}

extension RandomAccessCollection {
    /// The index of the first element for which `belongsAfter` is false, in a collection where
    /// every element for which it is true comes first (binary search).
    fileprivate func partitionPoint(_ belongsAfter: (Element) -> Bool) -> Index {
        var low = startIndex
        var count = self.count
        while count > 0 {
            let half = count / 2
            let middle = index(low, offsetBy: half)
            if belongsAfter(self[middle]) {
                low = index(after: middle)
                count -= half + 1
            } else {
                count = half
            }
        }
        return low
    }
}
