import BoxofficeCore
import BoxofficeVenue
import Foundation

/// An event as the pages show it: when in the venue's time zone, the price, and what is left.
struct EventCard: Sendable, Hashable {
    let id: String
    let name: String
    let description: String
    let when: String
    let location: String
    let price: String
    let sold: Int
    let held: Int
    let remaining: Int
    /// What this node may still sell (its own seats) now; when it has none but seats are left
    /// elsewhere, a refused hold makes it ask its peers for some.
    let seatsHere: Int
    /// No seat left anywhere: a node without seats of its own is not sold out.
    let soldOut: Bool
    let cancelled: Bool
    let holdMinutes: Int

    init(_ view: EventView) {
        let event = view.event
        id = view.id
        name = event.name
        description = event.description
        when = WebFormat.when(event.date)
        location = event.location
        price = WebFormat.money(event.price, event.currency)
        sold = view.availability.sold
        held = view.availability.held
        remaining = view.availability.remaining
        seatsHere = view.availability.remainingHere
        cancelled = event.status == .cancelled
        soldOut = !cancelled && view.availability.remaining == 0
        holdMinutes = Int(event.holdDuration / 60)
    }
}
