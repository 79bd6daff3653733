public import Crypto
public import Foundation

/// HTTP Message Signatures (RFC 9421) as Boxoffice peers sign every `/sync/*` request
/// (sync-spec.md, section 7.3): Ed25519 over the method, path, query and the body's
/// `Content-Digest` (RFC 9530), with `created`, `keyid` (the node id) and a `nonce`.
public enum RequestSignature {
    public static let label = "boxoffice"
    /// The covered components, in this order; a signature covering anything else is refused.
    public static let components = #"("@method" "@path" "@query" "content-digest")"#
    /// How far `created` may be from the verifier's clock, either way.
    public static let window: TimeInterval = 60

    /// The headers that sign a request: `Content-Digest`, `Signature-Input`, `Signature`.
    /// - Parameter target: the path and query as sent, e.g. `/sync/changes?since=0&limit=1000`.
    public static func headers(method: String, target: String, body: [UInt8], key: NodeKey, now: Date = Date()) -> [(name: String, value: String)] {
        let (path, query) = split(target)
        let digest = contentDigest(body)
        var nonce = [UInt8](repeating: 0, count: 16)
        var generator = SystemRandomNumberGenerator()
        for index in nonce.indices { nonce[index] = generator.next() }
        let parameters =
            components
            + ";created=\(Int(now.timeIntervalSince1970));keyid=\"\(key.nodeID)\";nonce=\"\(Data(nonce).base64EncodedString())\";alg=\"ed25519\""
        let base = signatureBase(method: method, path: path, query: query, digest: digest, parameters: parameters)
        let signature = (try? key.privateKey.signature(for: Data(base.utf8))) ?? Data()
        return [
            ("Content-Digest", digest),
            ("Signature-Input", "\(label)=\(parameters)"),
            ("Signature", "\(label)=:\(signature.base64EncodedString()):"),
        ]
    }

    /// A request's signature, read but not yet checked.
    public struct Presented: Sendable {
        public let keyID: String
        public let created: Date
        public let nonce: String
        let parameters: String
        let signature: Data

        /// Checks the signature with `publicKey`, the body against `Content-Digest`, and `created`
        /// against the window. The caller checks the key's standing and the nonce's novelty.
        public func verify(
            method: String,
            path: String,
            query: String?,
            contentDigest: String?,
            body: [UInt8],
            publicKey: Curve25519.Signing.PublicKey,
            now: Date = Date()
        ) throws(SignatureError) {
            guard abs(created.timeIntervalSince(now)) <= RequestSignature.window else {
                throw .outsideWindow(seconds: Int(created.timeIntervalSince(now)))
            }
            guard let contentDigest, contentDigest == RequestSignature.contentDigest(body) else { throw .digestMismatch }
            let base = RequestSignature.signatureBase(
                method: method,
                path: path,
                query: query.map { "?" + $0 } ?? "?",
                digest: contentDigest,
                parameters: parameters
            )
            guard publicKey.isValidSignature(signature, for: Data(base.utf8)) else { throw .badSignature }
        }
    }

    /// Reads `Signature-Input` and `Signature`.
    public static func read(signatureInput: String?, signature: String?) throws(SignatureError) -> Presented {
        guard let signatureInput, let signature else { throw .missing }
        let prefix = label + "="
        guard signatureInput.hasPrefix(prefix + components), signature.hasPrefix(prefix + ":"), signature.hasSuffix(":") else {
            throw .malformed(
                "Signature-Input must be \(prefix)\(components);created=…;keyid=\"…\";nonce=\"…\";alg=\"ed25519\" with Signature \(prefix):…:"
            )
        }
        let parameters = String(signatureInput.dropFirst(prefix.count))
        var values: [String: String] = [:]
        for item in parameters.dropFirst(components.count).split(separator: ";", omittingEmptySubsequences: false).dropFirst() {
            let pair = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { throw .malformed("Signature-Input parameter \(item) has no value") }
            let value = pair[1]
            values[pair[0]] = value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 ? String(value.dropFirst().dropLast()) : value
        }
        let encoded = signature.dropFirst(prefix.count + 1).dropLast()
        guard let keyID = values["keyid"], let nonce = values["nonce"], !nonce.isEmpty,
            let created = values["created"].flatMap({ Int($0) }), values["alg"] == "ed25519",
            let bytes = Data(base64Encoded: String(encoded))
        else { throw .malformed("Signature-Input needs created, keyid, nonce and alg=\"ed25519\"; Signature needs base64") }
        return Presented(keyID: keyID, created: Date(timeIntervalSince1970: Double(created)), nonce: nonce, parameters: parameters, signature: bytes)
    }

    /// `sha-256=:<base64>:` (RFC 9530).
    public static func contentDigest(_ body: [UInt8]) -> String {
        "sha-256=:\(Data(SHA256.hash(data: body)).base64EncodedString()):"
    }

    /// RFC 9421 section 2.5: one line per covered component, then the parameters.
    static func signatureBase(method: String, path: String, query: String, digest: String, parameters: String) -> String {
        """
        "@method": \(method.uppercased())
        "@path": \(path)
        "@query": \(query)
        "content-digest": \(digest)
        "@signature-params": \(parameters)
        """
    }

    /// The path, and the query with its `?` (`?` alone when there is none, as RFC 9421 says).
    static func split(_ target: String) -> (path: String, query: String) {
        guard let mark = target.firstIndex(of: "?") else { return (target, "?") }
        return (String(target[..<mark]), String(target[mark...]))
    }
}

/// Why a signed peer request was refused.
public enum SignatureError: Error, Equatable, Sendable, CustomStringConvertible {
    case missing
    case malformed(String)
    case outsideWindow(seconds: Int)
    case digestMismatch
    case badSignature
    case replayed
    /// No active node with this id is known here: the sender should enroll.
    case unknownNode(String)
    case revoked(String)

    public var description: String {
        switch self {
        case .missing: "sync requests are signed by the sending node (Signature-Input and Signature headers, sync-spec 7.3)"
        case let .malformed(detail): detail
        case let .outsideWindow(seconds):
            "the request was signed \(abs(seconds)) s \(seconds < 0 ? "ago" : "ahead of this node's clock"); at most \(Int(RequestSignature.window)) s either way: check both clocks"
        case .digestMismatch: "the body does not match its Content-Digest"
        case .badSignature: "the signature does not verify with the sending node's key"
        case .replayed: "this signature was used before: a request is accepted once"
        case let .unknownNode(id): "node \(id) is not enrolled here: it must enroll with the cluster secret first"
        case let .revoked(id): "node \(id) is revoked: this cluster no longer accepts it"
        }
    }
}
