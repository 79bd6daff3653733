import BoxofficeCore
import BoxofficeStore
import BoxofficeSync
import BoxofficeVenue
import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// Guards `/sync/*` (sync-spec.md, section 7.3): every request is signed (RFC 9421) by an
/// enrolled node that is not revoked, within the signature window, once. A configured peer list
/// also limits which node ids may sync (403). The verified node id is the caller (`peerNode`).
struct PeerAuthMiddleware: RouterMiddleware {
    typealias Context = BoxofficeRequestContext
    static let signatureInput = HTTPField.Name("Signature-Input")!
    static let signature = HTTPField.Name("Signature")!
    static let contentDigest = HTTPField.Name("Content-Digest")!

    let roster: NodeRoster
    /// Remembers signatures for every process of the node (a hub's database), beside `seen`.
    let store: any VersionedStore
    let allowedPeers: Set<String>
    /// A verified request is word from its node: it is online.
    let contacts: PeerContacts
    /// Signatures already tried (node id and nonce), remembered past the window either way.
    private let seen = BoundedCache<String, Date>(limit: 200_000)

    init(roster: NodeRoster, store: any VersionedStore, allowedPeers: Set<String>, contacts: PeerContacts) {
        self.roster = roster
        self.store = store
        self.allowedPeers = allowedPeers
        self.contacts = contacts
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var (request, context) = (request, context)
        let presented = try RequestSignature.read(signatureInput: request.headers[Self.signatureInput], signature: request.headers[Self.signature])
        // Invariant: a signature is tried once, whatever the answer: a request refused because its
        // node was not enrolled yet cannot be sent again once it is. `created` bounds the memory.
        guard seen.add(presented.created, for: presented.keyID + " " + presented.nonce) else { throw SignatureError.replayed }
        let key: Curve25519.Signing.PublicKey
        switch try await roster.standing(of: presented.keyID) {
        case let .active(publicKey): key = publicKey
        case .revoked: throw SignatureError.revoked(presented.keyID)
        case .unknown: throw SignatureError.unknownNode(presented.keyID)
        }
        let body = try await request.collectBody(upTo: LocalNode.maxBatchBytes)
        try presented.verify(
            method: request.method.rawValue,
            path: request.uri.path,
            query: request.uri.query,
            contentDigest: request.headers[Self.contentDigest],
            body: Array(buffer: body),
            publicKey: key,
            now: roster.now()
        )
        // A valid signature is claimed with the store too: another process of the node may have
        // taken it (only verified ones, so strangers cannot fill the store with nonces).
        // Kept twice the window: the database's clock, which sweeps, may run ahead of this process's.
        let until = presented.created + 2 * RequestSignature.window
        guard try await store.claimOnce(presented.keyID + " " + presented.nonce, until: until) else {
            throw SignatureError.replayed
        }
        if !allowedPeers.isEmpty, !allowedPeers.contains(presented.keyID) {
            throw DomainError.forbidden("this node does not accept sync from \(presented.keyID)")
        }
        context.peerNode = presented.keyID
        contacts.heard(from: presented.keyID, at: roster.now())
        return try await next(request, context)
    }
}
