import Hummingbird
import Logging
import NIOHTTP1

/// Turns every error a route throws, and every unknown route, into a problem+json response.
/// Invariant: no error escapes as a bare 500 or a dropped connection.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = ProblemDetails(error, instance: request.uri.path)
            if problem.status >= 500 {
                context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            } else if error is HTTPParserError {
                // A client that hangs up mid-body is its own doing, not the node's failure.
                context.logger.info("request not read whole", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            }
            return problem.response()
        }
    }
}
