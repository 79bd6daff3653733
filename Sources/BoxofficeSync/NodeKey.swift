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

    /// The private key's stored form: base64 of its 32 raw bytes.
    public var encodedPrivateKey: String { privateKey.rawRepresentation.base64EncodedString() }

    /// A key from its stored form; `source` names where it was read, for the error.
    public init(nodeID: String, encodedPrivateKey text: String, source: String) throws {
        guard let raw = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)),
            let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw)
        else { throw StoreError.invalidConfiguration("\(source) holds no Ed25519 key") }
        self.init(nodeID: nodeID, privateKey: key)
    }

    /// A new key for `nodeID`.
    public static func generate(nodeID: String) -> NodeKey {
        NodeKey(nodeID: nodeID, privateKey: Curve25519.Signing.PrivateKey())
    }

    /// The directory's key, made and stored on first use.
    public static func loadOrCreate(in directory: DataDirectory, nodeID: String) throws -> NodeKey {
        if let text = try? String(contentsOfFile: directory.nodeKey, encoding: .utf8) {
            return try NodeKey(nodeID: nodeID, encodedPrivateKey: text, source: directory.nodeKey)
        }
        let key = generate(nodeID: nodeID)
        try directory.writePrivate(Array((key.encodedPrivateKey + "\n").utf8), to: directory.nodeKey)
        return key
    }

    /// An Ed25519 public key from its roster form; nil if it is none.
    public static func publicKey(_ text: String) -> Curve25519.Signing.PublicKey? {
        Data(base64Encoded: text).flatMap { try? Curve25519.Signing.PublicKey(rawRepresentation: $0) }
    }
}
