public import BoxofficeCore
public import Hummingbird

/// A domain error as Hummingbird's own error answer, for the places that take one (an
/// authorization policy's `deniedError`); it renders as every other error does (`ProblemDetails`).
extension DomainError: HTTPResponseError {
    public var status: HTTPResponse.Status { ProblemDetails(self, instance: "").httpStatus }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        ProblemDetails(self, instance: request.uri.path).response()
    }
}
