import BoxofficeCore
public import BoxofficeStore

/// The lookups the venue services need, kept by the store. One index per collection, with keys
/// namespaced by purpose, so each write decodes its body once.
public enum VenueIndexes {
    package static let users = "users"
    package static let tickets = "tickets"
    package static let notifications = "notifications"
    package static let allocations = "allocations"
    package static let holds = "holds"
    package static let checkIns = "checkins"

    /// Raise it with any change to the keys below (`StoreOptions.indexRevision`).
    public static let revision = 1

    /// Pass these in `StoreOptions.indexes` when opening a node's store, with `revision`. Keys are read with
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
            var keys: [String] = []
            keys.reserveCapacity(5)
            keys.append(ofEvent(eventId))
            keys.append(code(ticketCode))
            if fields["status"] == TicketStatus.valid.rawValue {
                keys.append(liveOfEvent(eventId))
                keys.append(liveOfEvent(eventId, soldBy: soldBy))
            }
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

    package static func email(_ canonicalEmail: String) -> String { "email:" + canonicalEmail }
    package static func ofEvent(_ eventId: String) -> String { "event:" + eventId }
    /// Tickets that hold a seat: the sold count of an event is the size of this set.
    package static func liveOfEvent(_ eventId: String) -> String { "live:" + eventId }
    /// The live tickets of an event sold by one node: what it has used of its allocation.
    package static func liveOfEvent(_ eventId: String, soldBy node: String) -> String { "live:" + eventId + "@" + node }
    package static func ofUser(_ userId: String) -> String { "user:" + userId }
    /// The open holds of an event, expired or not: expiry depends on the reader's clock.
    static func openHoldsOf(_ eventId: String) -> String { "open:" + eventId }
    /// The open holds on one node's seats: what its sweep looks at.
    static func openHoldsHeld(by node: String) -> String { "open@" + node }
    /// The ticket a door scanner reads.
    package static func code(_ code: String) -> String { "code:" + code }
}
