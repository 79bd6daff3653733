import BoxofficeCore
import Hummingbird

/// Errors become pages for people, never problem+json. On the web pages (`pages`) every error
/// does: a page that needs a signed-in person sends the browser to the sign-in page and back; 403,
/// 404 and everything else get their own page in words, and anything unforeseen is a 500 page that
/// hides its internals. Around the whole router (`browsers`) only requests from a browser do (see
/// `Request.prefersErrorPage`): an unknown path, or an error before the pages' own middleware ran;
/// API clients get the problem+json they always got. If the error page itself cannot be rendered,
/// the answer is a minimal static page.
struct WebErrorMiddleware: RouterMiddleware {
    typealias Context = BoxofficeRequestContext

    enum Scope {
        /// The web pages' group: every error, with the caller's own page header.
        case pages
        /// The whole router: requests from a browser outside `/api/` and `/sync/`.
        case browsers
    }

    let shell: WebShell
    let scope: Scope

    struct ErrorPage: Sendable, Hashable {
        let heading: String
        let detail: String
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            switch scope {
            case .pages:
                if case .unauthenticated? = error as? DomainError {
                    let back = Self.page(after: request).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"
                    return Response(status: .seeOther, headers: [.location: "/web/login?next=\(back)"])
                }
            case .browsers:
                guard request.prefersErrorPage else { throw error }
            }
            return await errorPage(for: error, request: request, context: context)
        }
    }

    private func errorPage(for error: any Error, request: Request, context: Context) async -> Response {
        let problem = ProblemDetails(error, instance: request.uri.path)
        if problem.status >= 500 {
            context.logger.error("page failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
        }
        let heading =
            switch problem.status {
            case 401: "Sign in first"
            case 403: "You may not open this page"
            case 404: "Not found"
            case 500...: "Something went wrong"
            default: "That did not work"
            }
        do {
            return try await shell.page(
                "error",
                title: heading,
                ErrorPage(heading: heading, detail: problem.detail),
                context: context,
                status: problem.httpStatus
            )
        } catch {
            context.logger.error("error page failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            return PageRenderer.response(nil, status: .internalServerError)
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
