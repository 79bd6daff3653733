/// What can be wrong with a document, an identifier or a timestamp, independent of storage.
public enum DocumentError: Error, Equatable, Sendable {
    /// An id, collection or node name outside `[A-Za-z0-9_-]{1,64}`.
    case invalidIdentifier(field: String, value: String)
    /// A document body over the size limit.
    case bodyTooLarge(bytes: Int, limit: Int)
    /// A body that is not a JSON object.
    case bodyNotAnObject
    /// A remote timestamp too far ahead of this node's wall clock.
    case clockSkew(remote: HLC, localWallMillis: UInt64, maxSkewMillis: UInt64)
}

extension DocumentError: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .invalidIdentifier(field, value):
            let shown = value.count > 80 ? String(value.prefix(80)) + "…" : value
            return "\(field) \"\(shown)\" is not a valid identifier: use 1 to 64 of A-Z, a-z, 0-9, '_' and '-'"
        case let .bodyTooLarge(bytes, limit):
            return "document body is \(bytes) bytes; the limit is \(limit) bytes"
        case .bodyNotAnObject:
            return "document body must be a JSON object"
        case let .clockSkew(remote, local, maxSkew):
            let ahead = Double(remote.wallMillis) - Double(local)
            return "remote clock \(remote) is \(Int(ahead)) ms ahead of this node; at most \(maxSkew) ms is accepted"
        }
    }
}
