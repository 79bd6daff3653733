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
            let back = request.uri.path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"
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
}
