import BoxofficeCore
import BoxofficeVenue
import Foundation

/// One entry of an event's ticket list as the original web app reads it (`ticket._id`, `price`,
/// `available`, `purchasedAt`): a sold ticket without holder data, or a seat for sale. The web app
/// buys "a ticket" by its id; here seats are not pre-created, so a seat for sale is an offer
/// whose id names the event and a fresh nonce. Buying it sells one seat, and buying the same
/// offer again answers with the same ticket (the offer id is the sale's idempotency key).
struct WebAppTicketEntry: Encodable, Sendable {
    /// The ticket's id, or the offer's `<eventId>.<nonce>` (an event id never holds a dot).
    let id: String
    let eventId: String
    let price: Decimal
    let currency: String
    let available: Bool
    let purchasedAt: Date?

    init(sold ticket: Identified<Ticket>) {
        id = ticket.id
        eventId = ticket.value.eventId
        price = ticket.value.price
        currency = ticket.value.currency
        available = false
        purchasedAt = ticket.value.soldAt
    }

    init(offerOf eventId: String, event: Event) {
        id = eventId + "." + Identifier.randomCode(length: 10)
        self.eventId = eventId
        price = event.price
        currency = event.currency
        available = true
        purchasedAt = nil
    }

    /// The event an offer id sells a seat of; nil for anything that is not an offer id.
    static func event(ofOffer id: String) -> String? {
        guard let dot = id.lastIndex(of: ".") else { return nil }
        let (eventId, nonce) = (id[..<dot], id[id.index(after: dot)...])
        guard Identifier.isValid(eventId), (1...32).contains(nonce.count), nonce.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            return nil
        }
        return String(eventId)
    }
}
