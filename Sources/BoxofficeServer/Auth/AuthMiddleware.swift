import BoxofficeCore
import BoxofficeStore
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
            let token = header.hasPrefix("Bearer ") ? String(header.dropFirst(7)) : header
            if let userID = await tokens.userID(from: token), let user = try await users.user(userID) {
                context.identity = Identity(userId: userID, name: user.name, email: user.email, role: user.role)
            } else {
                throw DomainError.unauthenticated("the access token is invalid or expired; sign in again")
            }
        }
        return try await next(request, context)
    }
}
