import BoxofficeCore
public import BoxofficeVenue
import Hummingbird
public import HummingbirdAuth

/// Who may call the routes of a group. The group's middleware enforces it (HummingbirdAuth's
/// `AuthorizationPolicyMiddleware` with a `RolePolicy`), so no handler checks a role itself.
enum Access {
    /// Anyone with a valid access token (or session).
    case signedIn
    /// Staff and organizers.
    case staff
    /// Organizers only.
    case organizer
}

extension Identity: RoleProviding {}

extension RouterGroup where Context == BoxofficeRequestContext {
    /// The routes of this group that `access` admits: 401 without a valid token or session, 403
    /// without the role. Routes added to the group this returns are served at the same paths.
    func restricted(to access: Access) -> RouterGroup<Context> {
        let signedIn = group().add(middleware: SignInRequired())
        let (role, refusal): (Role, String)
        switch access {
        case .signedIn: return signedIn
        case .staff: (role, refusal) = (.staff, "only staff and organizers may do this")
        case .organizer: (role, refusal) = (.organizer, "only organizers may do this")
        }
        return signedIn.add(
            middleware: AuthorizationPolicyMiddleware(RolePolicy<Identity>(role), deniedError: DomainError.forbidden(refusal), context: Context.self)
        )
    }
}

/// Refuses a request without a caller with 401 and says how to sign in (HummingbirdAuth's
/// `IsAuthenticatedMiddleware` answers a bare 401).
struct SignInRequired: RouterMiddleware {
    typealias Context = BoxofficeRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        _ = try context.requireIdentity()
        return try await next(request, context)
    }
}
