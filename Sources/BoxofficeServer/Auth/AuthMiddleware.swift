import BoxofficeCore
import BoxofficeStore
import BoxofficeVenue
import Hummingbird
import HummingbirdAuth

/// Reads `Authorization: Bearer <token>` and, when the token is valid and its user exists, puts
/// the caller's identity into the context. It never refuses a request without a token: groups
/// that need a caller say so (`RouterGroup.restricted(to:)`), so public routes stay public.
struct AuthMiddleware: AuthenticatorMiddleware {
    typealias Context = BoxofficeRequestContext
    let tokens: AccessTokens
    let users: UserService

    func authenticate(request: Request, context: Context) async throws -> Identity? {
        guard let header = request.headers[.authorization] else { return nil }
        // The original web app sends the bare token; accept "Bearer <token>" and "<token>".
        // The scheme is case-insensitive (RFC 9110, section 11.1).
        let token = header.prefix(7).lowercased() == "bearer " ? String(header.dropFirst(7)) : header
        guard let identity = try await users.identity(of: await tokens.userID(from: token)) else {
            throw DomainError.unauthenticated("the access token is invalid or expired; sign in again")
        }
        return identity
    }
}
