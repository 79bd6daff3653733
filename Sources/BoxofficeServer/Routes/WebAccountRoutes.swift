import BoxofficeCore
import BoxofficeVenue
import Foundation
import Hummingbird

/// The pages of a person's account: register, log in, log out, notifications, profile.
struct WebAccountRoutes {
    let shell: WebShell
    let users: UserService
    let tickets: TicketService
    let notifications: NotificationService
    let tokens: AccessTokens
    let tokenLifetime: TimeInterval
    let now: @Sendable () -> Date

    struct AccountForm: Sendable, Hashable {
        let next: String
        let values: [String: String]
        let errors: [String: String]
    }

    struct Inbox: Sendable, Hashable {
        struct Item: Sendable, Hashable {
            let id: String
            let message: String
            let when: String
            let unread: Bool
        }
        let items: [Item]
    }

    struct Profile: Sendable, Hashable {
        let name: String
        let email: String
        let role: String
        let memberSince: String
        let tickets: Int
    }

    func addRoutes(to group: RouterGroup<BoxofficeRequestContext>) {
        let callers = group.restricted(to: .signedIn)
        group.get("web/login") { request, context -> Response in
            let next = Self.safeNext(request.uri.queryParameters["next"].map(String.init))
            return try await shell.page("login", title: "Log in", AccountForm(next: next, values: [:], errors: [:]), context: context)
        }
        group.post("web/login") { request, context -> Response in
            let form = try await shell.form(request, context: context)
            return try await shell.submit {
                let user = try await users.authenticate(email: form["email"] ?? "", password: form["password"] ?? "", from: context.clientAddress)
                return try await signedIn(user, next: Self.safeNext(form["next"]))
            } again: { error in
                let page = AccountForm(next: Self.safeNext(form["next"]), values: ["email": form["email"] ?? ""], errors: ["password": error.message])
                return try await shell.page("login", title: "Log in", page, context: context, status: error.status)
            }
        }
        group.get("web/register") { _, context -> Response in
            try await shell.page("register", title: "Register", AccountForm(next: "/", values: [:], errors: [:]), context: context)
        }
        group.post("web/register") { request, context -> Response in
            let form = try await shell.form(request, context: context)
            return try await shell.submit {
                let user = try await users.register(name: form["name"] ?? "", email: form["email"] ?? "", password: form["password"] ?? "")
                return try await signedIn(user, next: "/")
            } again: { error in
                let page = AccountForm(
                    next: "/",
                    values: ["name": form["name"] ?? "", "email": form["email"] ?? ""],
                    errors: error.errors(default: "email")
                )
                return try await shell.page("register", title: "Register", page, context: context, status: error.status)
            }
        }
        group.post("web/logout") { request, context -> Response in
            _ = try await shell.form(request, context: context)
            var response = Response(status: .seeOther, headers: [.location: "/"])
            response.setCookie(shell.session.cookie(WebSession.sessionCookie, "", maxAge: 0))
            return response
        }
        callers.get("web/notifications") { _, context -> Response in
            let person = try context.requireIdentity()
            let items = try await notifications.list(for: person.userId).map {
                Inbox.Item(id: $0.id, message: $0.value.message, when: WebFormat.when($0.value.createdAt), unread: !$0.value.read)
            }
            return try await shell.page("notifications", title: "Notifications", Inbox(items: items), context: context)
        }
        callers.post("web/notifications/:id/read") { request, context -> Response in
            _ = try await shell.form(request, context: context)
            _ = try await notifications.markRead(context.parameters.require("id"), by: try context.requireIdentity())
            return Response(status: .seeOther, headers: [.location: "/web/notifications"])
        }
        callers.get("web/profile") { _, context -> Response in
            let person = try context.requireIdentity()
            let user = try await users.view(person.userId)
            let profile = Profile(
                name: user.name,
                email: user.email,
                role: user.role.rawValue,
                memberSince: WebFormat.when(user.createdAt),
                tickets: try await tickets.tickets(ofUser: person.userId).count { $0.value.isLive }
            )
            return try await shell.page("profile", title: "Profile", profile, context: context)
        }
    }

    /// Starts a session for `user` and sends the browser on.
    private func signedIn(_ user: UserView, next: String) async throws -> Response {
        let token = try await tokens.issue(userId: user.id, role: user.role, now: now())
        var response = Response(status: .seeOther, headers: [.location: next])
        response.setCookie(shell.session.cookie(WebSession.sessionCookie, token, maxAge: Int(tokenLifetime)))
        return response
    }

    /// Where to go after signing in: a path on this site only, never another site. Browsers drop
    /// tabs and newlines from URLs and read `\` as `/`, so `/\t/evil.example` would leave the site:
    /// exactly one leading `/`, then neither `/` nor `\`, and no control character or space at all.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.dropFirst().hasPrefix("/"), !next.dropFirst().hasPrefix("\\"),
            !next.unicodeScalars.contains(where: { CharacterSet.controlCharacters.union(.whitespacesAndNewlines).contains($0) })
        else { return "/" }
        return next
    }
}
