import HTTPTypes
import Hummingbird

/// Headers that keep a browser from misreading what the node sends: every answer is read as the
/// type it declares and sends no referrer off the node; a page runs only the node's own script and
/// style, posts forms only to the node, and is never framed by another site (clickjacking).
/// Invariant: the pages hold no inline script or style (`/web/app.js`, `/web/style.css`).
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = BoxofficeRequestContext

    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

    /// Made once: the name is checked when it is made, and every answer carries it.
    private static let referrerPolicy = HTTPFields.Element.Name("Referrer-Policy")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        // Appended, not set: no route sets these, and a lookup by name joins values (it costs
        // more than the rest of this middleware on every answer).
        let isPage = response.headers.contains { $0.name == .contentType && $0.value.hasPrefix("text/html") }
        response.headers.append(HTTPField(name: .xContentTypeOptions, value: "nosniff"))
        response.headers.append(HTTPField(name: Self.referrerPolicy, value: "same-origin"))
        if isPage { response.headers.append(HTTPField(name: .contentSecurityPolicy, value: Self.contentSecurityPolicy)) }
        return response
    }
}
