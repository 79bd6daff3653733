public import BoxofficeCore
public import BoxofficeVenue
public import Foundation
public import Hummingbird
public import HummingbirdAuth
import NIOCore

/// The request context of the venue API: the caller's identity, a 1 MiB body limit, and the one
/// Boxoffice JSON configuration for responses.
public struct BoxofficeRequestContext: AuthRequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: Identity?
    /// The browser's CSRF nonce, on web pages (see `WebSession`).
    var csrfNonce: String?
    /// The peer node that signed a `/sync/*` request (see `PeerAuthMiddleware`).
    var peerNode: String?

    /// The client's socket address; formatted only when asked (`clientAddress`).
    private let remoteAddress: SocketAddress?

    /// The client's IP address, for the login throttle; nil when the channel has none.
    public var clientAddress: String? { remoteAddress?.ipAddress }

    public init(source: Source) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// Matches the store's document limit: a larger body is refused with 413 before it is read.
    public var maxUploadSize: Int { 1 << 20 }

    public var responseEncoder: JSONEncoder { JSONCoding.makeEncoder() }

    /// The caller, or 401 when the request carried no valid token. In a group restricted by
    /// `RouterGroup.restricted(to:)` the caller is always there.
    public func requireIdentity() throws(DomainError) -> Identity {
        guard let identity else { throw .unauthenticated("sign in first: send 'Authorization: Bearer <token>' from /users/login") }
        return identity
    }
}
