import Hummingbird

extension WebShell {
    struct ErrorPage: Sendable, Hashable {
        let heading: String
        let detail: String
    }

    /// An error as a page in words, with the status, detail and headers of its `ProblemDetails`;
    /// anything unforeseen is a 500 page that hides its internals. If the error page itself cannot
    /// be rendered, the answer is a minimal static page.
    func errorPage(for problem: ProblemDetails, request: Request, context: BoxofficeRequestContext) async -> Response {
        let heading =
            switch problem.status {
            case 401: "Sign in first"
            case 403: "You may not open this page"
            case 404: "Not found"
            case 405: "Not a page you can open this way"
            case 500...: "Something went wrong"
            default: "That did not work"
            }
        do {
            var response = try await page(
                "error",
                title: heading,
                ErrorPage(heading: heading, detail: problem.detail),
                context: context,
                status: problem.httpStatus
            )
            response.headers.append(contentsOf: problem.headers)
            return response
        } catch {
            context.logger.error("error page failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            return PageRenderer.response(nil, status: .internalServerError)
        }
    }
}
