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

    /// Pass these in `StoreOptions.indexes` when opening a node's store.
    public static let all: [SecondaryIndex] = [
        SecondaryIndex(name: users, collection: User.collection) { document in
            guard !document.deleted, let user = try? document.body.decode(EmailOnly.self) else { return [] }
            return [email(user.email)]
        },
        SecondaryIndex(name: tickets, collection: Ticket.collection) { document in
            guard !document.deleted, let ticket = try? document.body.decode(TicketKeys.self) else { return [] }
            var keys = [ofEvent(ticket.eventId), code(ticket.code)]
            if ticket.status == .valid { keys += [liveOfEvent(ticket.eventId), liveOfEvent(ticket.eventId, soldBy: ticket.soldBy)] }
            if let userId = ticket.userId { keys.append(ofUser(userId)) }
            return keys
        },
        SecondaryIndex(name: allocations, collection: AllocationRow.collection) { document in
            guard !document.deleted, let row = try? document.body.decode(AllocationRow.self) else { return [] }
            return [ofEvent(row.eventId)]
        },
        SecondaryIndex(name: holds, collection: Hold.collection) { document in
            guard !document.deleted, let hold = try? document.body.decode(HoldKeys.self), hold.status == .open else { return [] }
            return [openHoldsOf(hold.eventId), openHoldsHeld(by: hold.node)]
        },
        SecondaryIndex(name: checkIns, collection: CheckIn.collection) { document in
            guard !document.deleted, let checkIn = try? document.body.decode(CheckIn.self) else { return [] }
            return [ofEvent(checkIn.eventId)]
        },
        SecondaryIndex(name: notifications, collection: UserNotification.collection) { document in
            guard !document.deleted, let notification = try? document.body.decode(UserOnly.self) else { return [] }
            return [ofUser(notification.userId)]
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

    private struct EmailOnly: Decodable { var email: String }
    private struct UserOnly: Decodable { var userId: String }
    private struct HoldKeys: Decodable {
        var eventId: String
        var node: String
        var status: HoldStatus
    }
    private struct TicketKeys: Decodable {
        var eventId: String
        var code: String
        var userId: String?
        var soldBy: String
        var status: TicketStatus
    }
}
