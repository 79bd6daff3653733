import BoxofficeCore
import BoxofficeStore
import Foundation
import Hummingbird

/// `GET /conflicts`: the conflict report as a page for staff, with a sign-in form. Until the
/// web box office brings cookie sessions, the page carries the staff member's access token in
/// its links and forms (which also makes every form unforgeable from another site).
struct ConflictPageRoutes {
    let conflicts: ConflictService
    let users: UserService
    let tokens: AccessTokens
    let store: DocumentStore
    let now: @Sendable () -> Date

    struct SignIn: Decodable { var email: String; var password: String }

    func addRoutes(to group: RouterGroup<BoxofficeRequestContext>) {
        group.get("conflicts") { request, _ -> Response in
            // Signed in on the web pages (their status strip links here): the session's token.
            let session = request.cookies[WebSession.sessionCookie]?.value
            guard let token = request.uri.queryParameters["token"].map(String.init) ?? session else { return Self.html(signInForm(error: nil)) }
            guard try await staff(token: token) != nil else {
                return Self.html(signInForm(error: "That sign-in has expired or is not staff: sign in again."), status: .unauthorized)
            }
            let filter = ConflictService.Filter(
                kind: request.uri.queryParameters["kind"].map(String.init).flatMap { $0.isEmpty ? nil : $0 },
                eventId: request.uri.queryParameters["eventId"].map(String.init).flatMap { $0.isEmpty ? nil : $0 },
                state: request.uri.queryParameters["state"].flatMap { ConflictRecord.State(rawValue: String($0)) })
            let found = try await conflicts.list(filter)
            var standing: [String: Document] = [:]
            for conflict in found.conflicts {
                standing[conflict.id] = try await store.get(conflict.value.collection, conflict.value.documentId)
            }
            let page = ConflictReportPage(
                node: store.nodeID, token: token, filter: filter, conflicts: found.conflicts, counts: found.counts, standing: standing, now: now())
            return Self.html(page.render())
        }
        group.post("conflicts/sign-in") { request, context -> Response in
            let form = try await URLEncodedFormDecoder().decode(SignIn.self, from: request, context: context)
            guard let user = try? await users.authenticate(email: form.email, password: form.password), user.role.isStaff else {
                return Self.html(signInForm(error: "Wrong email or password, or not a staff account."), status: .unauthorized)
            }
            let token = try await tokens.issue(userId: user.id, role: user.role, now: now())
            return Self.redirect(to: "/conflicts?token=\(token)")
        }
    }

    /// The staff member a token names, if it is valid and theirs is a staff account.
    func staff(token: String) async throws -> Identity? {
        guard let identity = try await users.identity(of: await tokens.userID(from: token)), identity.isStaff else { return nil }
        return identity
    }

    private func signInForm(error: String?) -> String {
        let message = error.map { "<p class=\"error\" role=\"alert\">\(HTML.escape($0))</p>" } ?? ""
        return HTML.page(
            title: "Conflict report — sign in",
            body: """
                \(message)<form method="post" action="/conflicts/sign-in">
                <p><label for="email">Email</label><input id="email" name="email" type="email" required autocomplete="username"></p>
                <p><label for="password">Password</label><input id="password" name="password" type="password" required autocomplete="current-password"></p>
                <p><button type="submit">Sign in</button></p></form>
                """)
    }

    static func html(_ page: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: page)))
    }

    static func redirect(to location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }
}
