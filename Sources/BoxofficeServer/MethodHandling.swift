import HTTPTypes
import Hummingbird

/// A path the router serves under other methods answers 405 with `Allow` (RFC 9110, section
/// 15.5.6), not 404: `DELETE /events` is a path, just not that method. The router alone answers
/// 404 for both; a 404 is checked against the router's own routes (only then: answers that found
/// their route pay nothing). `HEAD` comes from the router itself (`autoGenerateHeadEndpoints`).
struct MethodHandling<Context: RequestContext>: HTTPResponderBuilder {
    let router: Router<Context>

    func buildResponder() -> MethodResponder<Router<Context>.Responder> {
        // Built first: building adds the HEAD routes, which the route table then holds too.
        let base = router.buildResponder()
        return MethodResponder(base: base, routes: RouteMethods(router.routes.map { ($0.path, $0.method) }))
    }

    struct MethodResponder<Base: HTTPResponder>: HTTPResponder where Base.Context == Context {
        let base: Base
        let routes: RouteMethods

        func respond(to request: Request, context: Context) async throws -> Response {
            let response = try await base.respond(to: request, context: context)
            guard response.status == .notFound else { return response }
            let allowed = routes.methods(at: request.uri.path)
            // Invariant: a method is refused only where the router serves the path under others;
            // a 404 of a served method is the route's own answer (no such event).
            guard !allowed.isEmpty, !allowed.contains(request.method) else { return response }
            let names = allowed.subtracting([.head]).map(\.rawValue).sorted() + (allowed.contains(.head) ? ["HEAD"] : [])
            let error = HTTPError(
                .methodNotAllowed,
                message: "\(request.method) is not served at \(request.uri.path); it takes \(names.joined(separator: ", "))"
            )
            var refused = ProblemDetails(error, instance: request.uri.path).response()
            refused.headers[.allow] = names.joined(separator: ", ")
            return refused
        }
    }

    /// The methods of every route by its number of path segments, for a quick look-up on a 404.
    /// Catch-all routes (`**`) are fallbacks (a 404 page), not paths served.
    struct RouteMethods: Sendable {
        private let routes: [Int: [(path: RouterPath, method: HTTPRequest.Method)]]

        init(_ all: [(path: RouterPath, method: HTTPRequest.Method)]) {
            let served = all.filter { route in !route.path.contains { $0 == .recursiveWildcard } }
            routes = Dictionary(grouping: served) { $0.path.count }
        }

        /// The methods served at a request path, matched segment by segment.
        func methods(at path: String) -> Set<HTTPRequest.Method> {
            let segments = path.split(separator: "/")
            guard let candidates = routes[segments.count] else { return [] }
            return Set(candidates.filter { route in zip(route.path, segments).allSatisfy { element, segment in element ~= segment } }.map(\.method))
        }
    }
}
