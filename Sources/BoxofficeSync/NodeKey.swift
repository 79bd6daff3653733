public import BoxofficeStore
public import Crypto
import Foundation

/// A node's Ed25519 key pair, made at its first start and kept in `identity/node.key` (`0600`).
/// It signs the node's sync requests and the access tokens it issues; the private half is never
/// synced and never sent.
public struct NodeKey: Sendable {
    public let nodeID: String
    public let privateKey: Curve25519.Signing.PrivateKey

    public init(nodeID: String, privateKey: Curve25519.Signing.PrivateKey) {
        self.nodeID = nodeID
        self.privateKey = privateKey
    }

    /// The public key as the roster holds it: base64 of its 32 raw bytes.
    public var publicKey: String { privateKey.publicKey.rawRepresentation.base64EncodedString() }

    /// The directory's key, made and stored on first use.
    public static func loadOrCreate(in directory: DataDirectory, nodeID: String) throws -> NodeKey {
        if let text = try? String(contentsOfFile: directory.nodeKey, encoding: .utf8) {
            guard let raw = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)),
                let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw)
            else { throw StoreError.invalidConfiguration("\(directory.nodeKey) holds no Ed25519 key") }
            return NodeKey(nodeID: nodeID, privateKey: key)
        }
        let key = Curve25519.Signing.PrivateKey()
        try directory.writePrivate(Array((key.rawRepresentation.base64EncodedString() + "\n").utf8), to: directory.nodeKey)
        return NodeKey(nodeID: nodeID, privateKey: key)
    }

    /// An Ed25519 public key from its roster form; nil if it is none.
    public static func publicKey(_ text: String) -> Curve25519.Signing.PublicKey? {
        Data(base64Encoded: text).flatMap { try? Curve25519.Signing.PublicKey(rawRepresentation: $0) }
    }
}
