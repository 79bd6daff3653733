import BoxofficeCore
import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// Guards `/sync/*`: the cluster secret as `Authorization: Bearer` (401 without it or with a
/// wrong one) and, when a peer list is configured, the caller's `X-Boxoffice-Node` in it (403).
struct PeerAuthMiddleware: RouterMiddleware {
    typealias Context = BoxofficeRequestContext
    static let nodeHeader = HTTPField.Name("X-Boxoffice-Node")!

    let secret: String
    let allowedPeers: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let presented = request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil } ?? ""
        // Compare digests, not strings: the time taken says nothing about the secret.
        guard SHA256.hash(data: Data(presented.utf8)) == SHA256.hash(data: Data(secret.utf8)) else {
            throw DomainError.unauthenticated("peer requests need the cluster secret as 'Authorization: Bearer <secret>'")
        }
        if !allowedPeers.isEmpty {
            guard let node = request.headers[Self.nodeHeader], allowedPeers.contains(node) else {
                throw DomainError.forbidden("this node does not accept sync from \(request.headers[Self.nodeHeader] ?? "an unnamed node")")
            }
        }
        return try await next(request, context)
    }
}
