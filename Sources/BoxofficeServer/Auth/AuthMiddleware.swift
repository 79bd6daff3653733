import BoxofficeCore
import BoxofficeStore
import BoxofficeVenue
import Hummingbird

/// Reads `Authorization: Bearer <token>` and, when the token is valid and its user exists, puts
/// the caller's identity into the context. It never refuses a request itself: routes that need
/// a caller say so with `context.requireIdentity()`, so public routes stay public.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = BoxofficeRequestContext
    let tokens: AccessTokens
    let users: UserService

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let header = request.headers[.authorization] {
            // The original web app sends the bare token; accept "Bearer <token>" and "<token>".
            // The scheme is case-insensitive (RFC 9110, section 11.1).
            let token = header.prefix(7).lowercased() == "bearer " ? String(header.dropFirst(7)) : header
            guard let identity = try await users.identity(of: await tokens.userID(from: token)) else {
                throw DomainError.unauthenticated("the access token is invalid or expired; sign in again")
            }
            context.identity = identity
        }
        return try await next(request, context)
    }
}
