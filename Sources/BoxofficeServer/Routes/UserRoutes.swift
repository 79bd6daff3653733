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
    struct Profile: ResponseEncodable, Sendable {
        var user: UserView
        var tickets: [Identified<Ticket>]
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
            callers.get("users/profile") { _, context -> Profile in try await profile(of: context.requireIdentity()) }
        }
    }

    /// The caller's account, tickets and unread count: what both profiles show.
    func profile(of identity: Identity) async throws -> Profile {
        Profile(
            user: try await users.view(identity.userId),
            tickets: try await tickets.tickets(ofUser: identity.userId),
            unreadNotifications: try await notifications.unreadCount(for: identity.userId)
        )
    }

    private func session(for user: UserView) async throws -> Session {
        Session(token: try await tokens.issue(userId: user.id, role: user.role, now: now()), user: user)
    }
}

extension UserView: ResponseEncodable {}
extension Identified: ResponseEncodable {}
