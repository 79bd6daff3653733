public import Foundation

/// A node of the cluster as it declares itself: the body of `nodes/<node id>`, written only by
/// that node (one writer, so its versions are never concurrent). Its public key checks the node's
/// signed sync requests and the access tokens it issues. A record reaches other nodes only through
/// enrollment (the node proved it knows the cluster secret) or sync with a verified peer.
public struct NodeRecord: Codable, Sendable, Equatable {
    public static let collection = "nodes"

    public var nodeId: String
    /// The node's Ed25519 public key: base64 of its 32 raw bytes.
    public var publicKey: String
    /// The pin of the certificate it serves HTTPS with, if it does.
    public var tlsPin: String?
    public var createdAt: Date

    public init(nodeId: String, publicKey: String, tlsPin: String?, createdAt: Date) {
        self.nodeId = nodeId
        self.publicKey = publicKey
        self.tlsPin = tlsPin
        self.createdAt = createdAt
    }
}

/// A decision about a node, kept for good: the body of `node-decisions/<random id>` (append-only,
/// never edited, so never concurrent). `enrolled`: the node proved the cluster secret to `byNode`.
/// `revoked`: an organizer shut the node out; a revocation is final for that node id.
public struct NodeDecision: Codable, Sendable, Equatable {
    public static let collection = "node-decisions"

    public enum Action: String, Codable, Sendable {
        case enrolled
        case revoked
    }

    public var nodeId: String
    public var action: Action
    /// The key the node had when the decision was made.
    public var publicKey: String
    /// Who decided: the node that enrolled it, or the organizer (user id) who revoked it.
    public var by: String
    /// The node the decision was made at.
    public var byNode: String
    public var at: Date
    public var note: String?

    public init(nodeId: String, action: Action, publicKey: String, by: String, byNode: String, at: Date, note: String? = nil) {
        self.nodeId = nodeId
        self.action = action
        self.publicKey = publicKey
        self.by = by
        self.byNode = byNode
        self.at = at
        self.note = note
    }
}
