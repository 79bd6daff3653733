import BoxofficeCore
import BoxofficeVenue
import Hummingbird

/// For the web pages: the signed-in person from the session cookie, and this browser's CSRF nonce
/// (a new one, set as a cookie on the answer, when it has none yet).
struct SessionMiddleware: RouterMiddleware {
    typealias Context = BoxofficeRequestContext
    let tokens: AccessTokens
    let users: UserService
    let session: WebSession

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let cookies = request.cookies
        if let token = cookies[WebSession.sessionCookie]?.value {
            context.identity = try await users.identity(of: await tokens.userID(from: token))
        }
        let existing = cookies[WebSession.nonceCookie]?.value.nilIfEmpty
        context.csrfNonce = existing ?? Identifier.randomCode(length: 32)
        var response = try await next(request, context)
        if existing == nil, let nonce = context.csrfNonce {
            response.setCookie(session.cookie(WebSession.nonceCookie, nonce, maxAge: 30 * 86_400))
        }
        return response
    }
}
