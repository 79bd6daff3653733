import HTTPTypes
import Hummingbird

/// What the router alone does not do with methods, around the whole router (routes are matched
/// before the router's own middleware runs):
/// - `HEAD` answers like `GET` without the body (RFC 9110, section 9.3.2), for every `GET` route:
///   uptime checks and `curl -I` probe `/health` and the pages that way.
/// - A path the router serves under other methods answers 405 with `Allow` (section 15.5.6),
///   not 404: `DELETE /events` exists as a path, just not as that method.
struct MethodHandling<Context: RequestContext>: HTTPResponderBuilder {
    let router: Router<Context>

    func buildResponder() -> MethodResponder<Router<Context>.Responder> {
        MethodResponder(base: router.buildResponder(), routes: router.routes.map { ($0.path, $0.method) })
    }

    struct MethodResponder<Base: HTTPResponder>: HTTPResponder where Base.Context == Context {
        let base: Base
        let routes: [(path: RouterPath, method: HTTPRequest.Method)]

        func respond(to request: Request, context: Context) async throws -> Response {
            if request.method == .head {
                var head = request.head
                head.method = .get
                // The GET answer's headers, Content-Length included, without its body.
                return try await base.respond(to: Request(head: head, body: request.body), context: context).createHeadResponse()
            }
            let response = try await base.respond(to: request, context: context)
            // A browser's 404 is an HTML page (WebErrorMiddleware): it stays one.
            guard response.status == .notFound, response.headers[.contentType] == "application/problem+json" else { return response }
            let allowed = Set(routes.filter { Self.path($0.path, matches: request.uri.path) }.map(\.method.rawValue)).sorted()
            // A 404 of a served method is the route's own answer (no such event), not a wrong method.
            guard !allowed.isEmpty, !allowed.contains(request.method.rawValue) else { return response }
            var refused = ProblemDetails(HTTPError(.methodNotAllowed, message: "\(request.method) is not served at \(request.uri.path); it takes \(allowed.joined(separator: ", "))"), instance: request.uri.path).response()
            refused.headers[.allow] = (allowed + (allowed.contains("GET") ? ["HEAD"] : [])).joined(separator: ", ")
            return refused
        }

        /// Whether a request path is one of the route's, segment by segment.
        static func path(_ route: RouterPath, matches path: String) -> Bool {
            let segments = path.split(separator: "/")
            guard route.count == segments.count else { return false }
            return zip(route, segments).allSatisfy { element, segment in element ~= segment }
        }
    }
}
