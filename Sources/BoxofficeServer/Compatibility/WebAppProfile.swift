import BoxofficeCore
import BoxofficeVenue
import Hummingbird

/// `GET /api/users/profile` as the original web app reads it: the user's fields at the top level
/// (`res.data._id`, `name`, `email`, `createdAt`) and `events`, the ids of the events the user
/// holds live tickets for (its dashboard maps over them; all of them, whatever the page); `tickets`
/// (a page), `totalTickets`, `nextCursor` and `unreadNotifications` as the venue API's profile has them.
struct WebAppProfile: ResponseEncodable, Sendable {
    let profile: UserRoutes.Profile
    /// Events of live tickets, each once, in the order of their first purchase.
    let events: [String]

    private enum CodingKeys: String, CodingKey { case events, tickets, totalTickets, nextCursor, unreadNotifications }

    func encode(to encoder: any Encoder) throws {
        try profile.user.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(events, forKey: .events)
        try container.encode(profile.tickets, forKey: .tickets)
        try container.encode(profile.totalTickets, forKey: .totalTickets)
        try container.encodeIfPresent(profile.nextCursor, forKey: .nextCursor)
        try container.encode(profile.unreadNotifications, forKey: .unreadNotifications)
    }
}
