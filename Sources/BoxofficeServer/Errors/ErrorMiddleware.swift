import BoxofficeCore
import Foundation
import Hummingbird
import NIOHTTP1

/// The one place errors become answers. Every error a route throws, and every request no route
/// takes, passes here and leaves as problem+json (`ProblemDetails`) for API clients and peers, or
/// as a page in words for people (`WebShell.errorPage`).
/// Invariant: no error escapes as a bare 500 or a dropped connection.
///
/// It sits twice: around the whole router (`.router`), where it also answers a path served only
/// under other methods with 405 and `Allow` (RFC 9110, section 15.5.6) from the router's own
/// route table, and pages only for a browser (`Request.prefersErrorPage`); and around the web
/// pages (`.pages`), where every error is a page with the caller's own header, and a page that
/// needs a signed-in person sends the browser to the sign-in page and back.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = BoxofficeRequestContext

    enum Scope {
        case router(RouteTable)
        case pages
    }

    let shell: WebShell
    let scope: Scope

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            var error = error
            // The router's own "no route here" (not a route's "no such event"): maybe a 405.
            if case let .router(routes) = scope, context.endpointPath == RouteTable.notFoundEndpoint, let refusal = routes.refusal(of: request) {
                error = refusal
            }
            let problem = ProblemDetails(error, instance: request.uri.path)
            log(error, problem, request: request, context: context)
            switch scope {
            case .router:
                return request.prefersErrorPage ? await shell.errorPage(for: problem, request: request, context: context) : problem.response()
            case .pages:
                if case .unauthenticated? = error as? DomainError {
                    let back = Self.page(after: request).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"
                    return Response(status: .seeOther, headers: [.location: "/web/login?next=\(back)"])
                }
                return await shell.errorPage(for: problem, request: request, context: context)
            }
        }
    }

    private func log(_ error: any Error, _ problem: ProblemDetails, request: Request, context: Context) {
        if problem.status >= 500 {
            context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
        } else if [401, 403, 429].contains(problem.status) {
            // Every refusal is logged, with who was refused.
            context.logger.info(
                "request refused",
                metadata: [
                    "path": "\(request.uri.path)", "client": "\(context.clientAddress ?? "unknown")", "status": "\(problem.status)",
                    "detail": "\(problem.detail)",
                ]
            )
        } else if error is HTTPParserError {
            // A client that hangs up mid-body is its own doing, not the node's failure.
            context.logger.info("request not read whole", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
        }
    }

    /// The page to come back to after signing in: the page itself for a GET; for a form post
    /// (which has no page of its own) the event page it was sent from under `/web/events/:id/…`,
    /// else the home page.
    static func page(after request: Request) -> String {
        let path = request.uri.path
        guard request.method != .get else { return path }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count > 4, parts[1] == "web", parts[2] == "events", !parts[3].isEmpty else { return "/" }
        return "/web/events/\(parts[3])"
    }
}
