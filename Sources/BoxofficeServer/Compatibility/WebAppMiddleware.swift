import BoxofficeCore
import Foundation
import HTTPTypes
import Hummingbird

/// The original system's React web app, pointed at a node, keeps working under `/api`: this
/// middleware accepts its habits there and nowhere else, so the unprefixed paths keep the clean
/// contract byte for byte. (Its bare `Authorization: <token>` is accepted by `AuthMiddleware`, its
/// `userId` claim is in every access token, and `msg` in problems comes from `ProblemDetails`.)
/// - Collection paths with a trailing slash (`GET /api/events/`) are routed as without it.
/// - JSON answers carry `_id` beside every `id`: it reads `res.data._id`, `event._id`.
/// The answers it reads in other shapes than the venue API's are `WebAppRoutes`.
struct WebAppMiddleware<Context: RequestContext>: RouterMiddleware {
    static var prefix: String { "/api/" }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard path.hasPrefix(Self.prefix) else { return try await next(request, context) }
        var request = request
        if path.count > Self.prefix.count, path.hasSuffix("/") {
            var head = request.head
            let query = request.uri.query.map { "?" + $0 } ?? ""
            head.path = String(path.dropLast()) + query
            request = Request(head: head, body: request.body)
        }
        var response = try await next(request, context)
        guard response.headers[.contentType]?.hasPrefix("application/json") == true else { return response }
        response.headers[.contentLength] = nil
        response.body = response.body.map { buffer in
            // One buffer is one whole answer: the API encodes each JSON answer at once.
            guard let json = try? JSONSerialization.jsonObject(with: Data(buffer: buffer)),
                let data = try? JSONSerialization.data(withJSONObject: Self.withUnderscoreIDs(json), options: [.withoutEscapingSlashes])
            else { return buffer }
            return ByteBuffer(bytes: data)
        }
        return response
    }

    /// `json` with `_id` added to every object that has a string `id`, at any depth.
    static func withUnderscoreIDs(_ json: Any) -> Any {
        if let array = json as? [Any] { return array.map(withUnderscoreIDs) }
        guard var object = json as? [String: Any] else { return json }
        for (key, value) in object { object[key] = withUnderscoreIDs(value) }
        if let id = object["id"] as? String { object["_id"] = id }
        return object
    }
}
