import HTTPTypes
import Hummingbird
import Synchronization

/// The methods the router serves at each path, for answering a request no route takes: 405
/// where the path is served under other methods, 404 where it is not. Loaded once every route is
/// added (the middleware that reads it is added before the routes).
final class RouteTable: Sendable {
    /// What the router puts in `endpointPath` when no route takes a request.
    static let notFoundEndpoint = "NotFound"

    private let routes = Mutex<[Int: [(path: RouterPath, method: HTTPRequest.Method)]]>([:])

    /// Takes the router's routes. Catch-all routes (`**`) are fallbacks (a 404 page), not paths served.
    func load(_ all: [(path: RouterPath, method: HTTPRequest.Method)]) {
        let served = all.filter { route in !route.path.contains { $0 == .recursiveWildcard } }
        routes.withLock { $0 = Dictionary(grouping: served) { $0.path.count } }
    }

    /// The 405 for a request whose path the router serves under other methods only; nil otherwise.
    func refusal(of request: Request) -> HTTPError? {
        var allowed = methods(at: request.uri.path)
        // The router answers HEAD wherever it answers GET (`autoGenerateHeadEndpoints`).
        if allowed.contains(.get) { allowed.insert(.head) }
        // Invariant: a method is refused only where the router serves the path under others.
        guard !allowed.isEmpty, !allowed.contains(request.method) else { return nil }
        let names = (allowed.subtracting([.head]).map(\.rawValue).sorted() + (allowed.contains(.head) ? ["HEAD"] : [])).joined(separator: ", ")
        return HTTPError(
            .methodNotAllowed,
            headers: [.allow: names],
            message: "\(request.method) is not served at \(request.uri.path); it takes \(names)"
        )
    }

    /// The methods served at a request path, matched segment by segment as the router's trie
    /// matches: a constant segment wins over a parameter there (`/notifications/send` is the send
    /// route's path only, though `/notifications/:id` would match it too).
    private func methods(at path: String) -> Set<HTTPRequest.Method> {
        let segments = path.split(separator: "/")
        var candidates = routes.withLock { $0[segments.count] ?? [] }.filter { route in
            zip(route.path, segments).allSatisfy { element, segment in element ~= segment }
        }
        for position in segments.indices where candidates.contains(where: { Self.isConstant($0.path[position]) }) {
            candidates.removeAll { !Self.isConstant($0.path[position]) }
        }
        return Set(candidates.map(\.method))
    }

    private static func isConstant(_ element: RouterPath.Element) -> Bool {
        element == .path(Substring(element.description))
    }
}
