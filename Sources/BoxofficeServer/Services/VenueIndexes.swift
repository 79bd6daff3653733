public import BoxofficeStore
import BoxofficeCore

/// The lookups the venue services need, kept by the store. One index per collection, with keys
/// namespaced by purpose, so each write decodes its body once.
public enum VenueIndexes {
    static let users = "users"
    static let tickets = "tickets"
    static let notifications = "notifications"
    static let allocations = "allocations"
    static let holds = "holds"
    static let checkIns = "checkins"

    /// Pass these in `StoreOptions.indexes` when opening a node's store. Keys are read with
    /// `JSONBody.strings`, not a decoder: they are computed for every version written or synced.
    public static let all: [SecondaryIndex] = [
        SecondaryIndex(name: users, collection: User.collection) { document in
            guard !document.deleted, let address = document.body.strings(["email"])["email"] else { return [] }
            return [email(address)]
        },
        SecondaryIndex(name: tickets, collection: Ticket.collection) { document in
            let fields = document.body.strings(["eventId", "code", "userId", "soldBy", "status"])
            guard !document.deleted, let eventId = fields["eventId"], let ticketCode = fields["code"], let soldBy = fields["soldBy"] else {
                return []
            }
            var keys = [ofEvent(eventId), code(ticketCode)]
            if fields["status"] == TicketStatus.valid.rawValue { keys += [liveOfEvent(eventId), liveOfEvent(eventId, soldBy: soldBy)] }
            if let userId = fields["userId"] { keys.append(ofUser(userId)) }
            return keys
        },
        SecondaryIndex(name: allocations, collection: AllocationRow.collection) { document in
            guard !document.deleted, let eventId = document.body.strings(["eventId"])["eventId"] else { return [] }
            return [ofEvent(eventId)]
        },
        SecondaryIndex(name: holds, collection: Hold.collection) { document in
            let fields = document.body.strings(["eventId", "node", "status"])
            guard !document.deleted, let eventId = fields["eventId"], let node = fields["node"], fields["status"] == HoldStatus.open.rawValue else {
                return []
            }
            return [openHoldsOf(eventId), openHoldsHeld(by: node)]
        },
        SecondaryIndex(name: checkIns, collection: CheckIn.collection) { document in
            guard !document.deleted, let eventId = document.body.strings(["eventId"])["eventId"] else { return [] }
            return [ofEvent(eventId)]
        },
        SecondaryIndex(name: notifications, collection: UserNotification.collection) { document in
            guard !document.deleted, let userId = document.body.strings(["userId"])["userId"] else { return [] }
            return [ofUser(userId)]
        },
    ]

    static func email(_ canonicalEmail: String) -> String { "email:" + canonicalEmail }
    static func ofEvent(_ eventId: String) -> String { "event:" + eventId }
    /// Tickets that hold a seat: the sold count of an event is the size of this set.
    static func liveOfEvent(_ eventId: String) -> String { "live:" + eventId }
    /// The live tickets of an event sold by one node: what it has used of its allocation.
    static func liveOfEvent(_ eventId: String, soldBy node: String) -> String { "live:" + eventId + "@" + node }
    static func ofUser(_ userId: String) -> String { "user:" + userId }
    /// The open holds of an event, expired or not: expiry depends on the reader's clock.
    static func openHoldsOf(_ eventId: String) -> String { "open:" + eventId }
    /// The open holds on one node's seats: what its sweep looks at.
    static func openHoldsHeld(by node: String) -> String { "open@" + node }
    /// The ticket a door scanner reads.
    static func code(_ code: String) -> String { "code:" + code }
}
