import HTTPTypes
import Hummingbird

/// Answers `HEAD` like `GET` without the body (RFC 9110, section 9.3.2), for every `GET` route:
/// uptime checks and `curl -I` probe `/health` and the pages that way. It wraps the whole router,
/// because routes are matched before the router's middleware runs.
struct HeadRequests<Base: HTTPResponderBuilder>: HTTPResponderBuilder {
    let base: Base

    func buildResponder() -> HeadResponder<Base.Responder> {
        HeadResponder(base: base.buildResponder())
    }

    struct HeadResponder<Wrapped: HTTPResponder>: HTTPResponder {
        let base: Wrapped

        func respond(to request: Request, context: Wrapped.Context) async throws -> Response {
            guard request.method == .head else { return try await base.respond(to: request, context: context) }
            var head = request.head
            head.method = .get
            var response = try await base.respond(to: Request(head: head, body: request.body), context: context)
            response.body = ResponseBody()
            return response
        }
    }
}
