import Hummingbird
import Logging

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
            }
            return problem.response()
        }
    }
}
