import BoxofficeCore
import BoxofficeVenue
import Foundation
import Hummingbird

/// `/users`: register, log in, profile.
struct UserRoutes {
    let users: UserService
    let tickets: TicketService
    let notifications: NotificationService
    let tokens: AccessTokens
    let now: @Sendable () -> Date

    struct Registration: Decodable {
        var name: String
        var email: String
        var password: String
    }
    struct Credentials: Decodable {
        var email: String
        var password: String
    }
    struct Session: ResponseEncodable {
        var token: String
        var user: UserView
    }
    /// The caller's account, a page of their tickets (oldest sale first) and their unread count.
    struct Profile: ResponseEncodable, Sendable {
        var user: UserView
        var tickets: [Identified<Ticket>]
        /// How many tickets the caller holds in all.
        var totalTickets: Int
        /// Pass as `cursor` for the next page of tickets; absent on the last page.
        var nextCursor: String?
        var unreadNotifications: Int
    }

    func addRoutes(to group: RouterGroup<BoxofficeRequestContext>, dialect: APIDialect) {
        let callers = group.restricted(to: .signedIn)
        group.post("users/register") { request, context -> EditedResponse<Session> in
            var request = request
            let input = try await request.decodeJSON(Registration.self, context: context)
            let user = try await users.register(name: input.name, email: input.email, password: input.password)
            return EditedResponse(status: .created, response: try await session(for: user))
        }
        group.post("users/login") { request, context -> Session in
            var request = request
            let input = try await request.decodeJSON(Credentials.self, context: context)
            return try await session(for: try await users.authenticate(email: input.email, password: input.password, from: context.clientAddress))
        }
        // Under /api the web app's flat profile answers here (WebAppRoutes).
        if dialect == .venue {
            callers.get("users/profile") { request, context -> Profile in try await profile(of: context.requireIdentity(), request) }
        }
    }

    /// The caller's account, a page of tickets (`limit`, `cursor`) and unread count: what both profiles show.
    func profile(of identity: Identity, _ request: Request) async throws -> Profile {
        let query = try TicketQuery(request)
        let page = try await tickets.tickets(ofUser: identity.userId, limit: query.limit, after: query.cursor)
        return Profile(
            user: try await users.view(identity.userId),
            tickets: page.tickets,
            totalTickets: page.total,
            nextCursor: page.next?.token,
            unreadNotifications: try await notifications.unreadCount(for: identity.userId)
        )
    }

    private func session(for user: UserView) async throws -> Session {
        Session(token: try await tokens.issue(userId: user.id, role: user.role, now: now()), user: user)
    }
}

extension UserView: ResponseEncodable {}
extension Identified: ResponseEncodable {}
