/// Why a sync with a peer failed, in terms an operator can act on.
public enum SyncError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No connection to the peer (down, wrong address, timed out) after the retries.
    case unreachable(url: String, detail: String)
    /// The peer's TLS certificate is not trusted (no CA, no pin matches): nothing was sent to it.
    case untrusted(url: String, detail: String)
    /// The peer does not know this node (401): it must enroll with the cluster secret.
    case notEnrolled(url: String, detail: String)
    /// The peer refused this node's signature or enrollment (401).
    case unauthorized(url: String, detail: String)
    /// The peer knows this node but does not accept it: revoked, or not in its peer list (403).
    case forbidden(url: String, detail: String)
    /// The peer speaks another protocol version.
    case protocolMismatch(local: Int, remote: Int)
    /// The peer answered with an unexpected status.
    case http(status: Int, detail: String)
    /// The peer's answer is not what the protocol says.
    case badResponse(String)
    /// A request this node received is wrong (answered with 400).
    case badRequest(String)
    /// A puller asked for the feed after a position this node has not reached (answered with
    /// 409): this node lost the end of its journal, or was restored from a backup.
    case sinceBeyondFeed(since: UInt64, end: UInt64)

    public var description: String {
        switch self {
        case let .unreachable(url, detail): return "peer \(url) is unreachable: \(detail)"
        case let .untrusted(url, detail):
            return
                "peer \(url) could not be verified (\(detail)); nothing was sent to it. Trust it with --ca FILE (its certificate or its CA) or --pin sha256//… (boxoffice tls init prints a node's pin)"
        case let .notEnrolled(url, detail): return "peer \(url) does not know this node (\(detail)); syncing with the cluster secret enrolls it"
        case let .unauthorized(url, detail):
            return
                "peer \(url) refused this node (401): \(detail). Every node needs the same cluster secret to enroll; a peer that asks for 'Authorization: Bearer' runs an older boxoffice: upgrade it"
        case let .forbidden(url, detail): return "peer \(url) does not accept this node (403): \(detail)"
        case let .protocolMismatch(local, remote): return "peer speaks sync protocol \(remote), this node speaks \(local)"
        case let .http(status, detail): return "peer answered \(status): \(detail)"
        case let .badResponse(detail): return "peer sent an invalid answer: \(detail)"
        case let .badRequest(detail): return detail
        case let .sinceBeyondFeed(since, end):
            return
                "since \(since) is past the end of this node's feed (\(end)): it lost or was restored to an earlier state; pull again with sync --from-start"
        }
    }
}
