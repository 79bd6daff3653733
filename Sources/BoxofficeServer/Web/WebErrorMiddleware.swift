import BoxofficeCore
import Hummingbird

/// Errors on web pages become pages, never problem+json: a page that needs a signed-in person
/// sends the browser to the sign-in page and back; 403, 404 and everything else get their own
/// page in words, and anything unforeseen is a 500 page that hides its internals.
struct WebErrorMiddleware: RouterMiddleware {
    typealias Context = BoxofficeRequestContext
    let shell: WebShell

    struct ErrorPage: Sendable, Hashable {
        let heading: String
        let detail: String
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch DomainError.unauthenticated {
            let back = Self.page(after: request).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"
            return Response(status: .seeOther, headers: [.location: "/web/login?next=\(back)"])
        } catch {
            let problem = ProblemDetails(error, instance: request.uri.path)
            if problem.status >= 500 {
                context.logger.error("page failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            }
            let heading =
                switch problem.status {
                case 403: "You may not open this page"
                case 404: "Not found"
                case 500...: "Something went wrong"
                default: "That did not work"
                }
            let page = ErrorPage(heading: heading, detail: problem.detail)
            return try await shell.page("error", title: heading, page, context: context, status: problem.httpStatus)
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
