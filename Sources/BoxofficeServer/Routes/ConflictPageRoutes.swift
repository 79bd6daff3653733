import BoxofficeCore
import BoxofficeStore
import Foundation
import Hummingbird

/// `GET /conflicts`: the conflict report as a page for staff, with a sign-in form. The page
/// carries the staff member's access token in its links and forms (which also makes every form
/// unforgeable from another site); a member signed in on the web pages needs none in the URL.
struct ConflictPageRoutes {
    let conflicts: ConflictService
    let users: UserService
    let tokens: AccessTokens
    let store: DocumentStore
    let shell: WebShell
    let now: @Sendable () -> Date

    struct SignIn: Decodable { var email: String; var password: String }
    struct SignInPage: Sendable, Hashable { let error: String? }

    func addRoutes(to group: RouterGroup<BoxofficeRequestContext>) {
        group.get("conflicts") { request, context -> Response in
            // Signed in on the web pages (their status strip links here): the session's token.
            let session = request.cookies[WebSession.sessionCookie]?.value
            guard let token = request.uri.queryParameters["token"].map(String.init) ?? session else {
                return try await signInPage(error: nil, context: context)
            }
            guard let staff = try await staff(token: token) else {
                return try await signInPage(error: "That sign-in has expired or is not staff: sign in again.", context: context, status: .unauthorized)
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
            var context = context
            context.identity = staff
            return try await shell.page("conflicts", title: "Conflict report", page, context: context, staff: true)
        }
        group.post("conflicts/sign-in") { request, context -> Response in
            guard let form = try? await URLEncodedFormDecoder().decode(SignIn.self, from: request, context: context) else {
                return try await signInPage(error: "Enter an email and a password.", context: context, status: .badRequest)
            }
            guard let user = try? await users.authenticate(email: form.email, password: form.password), user.role.isStaff else {
                return try await signInPage(error: "Wrong email or password, or not a staff account.", context: context, status: .unauthorized)
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

    private func signInPage(error: String?, context: BoxofficeRequestContext, status: HTTPResponse.Status = .ok) async throws -> Response {
        try await shell.page("conflicts-sign-in", title: "Conflict report — sign in", SignInPage(error: error), context: context, status: status)
    }

    static func redirect(to location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }
}
