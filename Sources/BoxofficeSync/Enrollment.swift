public import BoxofficeCore
import Crypto
public import Foundation

/// How a node joins a cluster without sending the cluster secret (sync-spec.md, section 7.2): it
/// asks a peer for a challenge, then sends its own roster record with an HMAC, keyed by the
/// secret, over the challenge, a challenge of its own and the record's id, key and pin. The peer
/// answers with its own record and an HMAC over both challenges, so each side has proved that it
/// knows the secret, and neither has sent it.
public enum Enrollment {
    /// Headers of `POST /sync/enroll`.
    public static let challengeHeader = "X-Boxoffice-Challenge"
    public static let clientChallengeHeader = "X-Boxoffice-Client-Challenge"
    public static let proofHeader = "X-Boxoffice-Proof"
    /// How long a challenge may be answered.
    public static let challengeLifetime: TimeInterval = 60

    /// A fresh random challenge: 32 bytes, base64.
    public static func challenge() -> String {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }).base64EncodedString()
    }

    /// The enrolling node's proof.
    public static func clientProof(secret: String, server: String, challenge: String, clientChallenge: String, record: NodeRecord) -> String {
        proof(secret, ["boxoffice-enroll/1 client", server, challenge, clientChallenge, record.nodeId, record.publicKey, record.tlsPin ?? ""])
    }

    /// The enrolling peer's proof, over its own record.
    public static func serverProof(secret: String, challenge: String, clientChallenge: String, record: NodeRecord) -> String {
        proof(secret, ["boxoffice-enroll/1 server", challenge, clientChallenge, record.nodeId, record.publicKey, record.tlsPin ?? ""])
    }

    /// HMAC-SHA256, keyed with the SHA-256 of a label and the secret, over the fields joined by newlines.
    private static func proof(_ secret: String, _ fields: [String]) -> String {
        let key = SymmetricKey(data: SHA256.hash(data: Data(("boxoffice-enroll\u{0}" + secret).utf8)))
        return Data(HMAC<SHA256>.authenticationCode(for: Data(fields.joined(separator: "\n").utf8), using: key)).base64EncodedString()
    }
}

/// The answer to `POST /sync/enroll`: the peer's own record and its proof over it.
public struct EnrollmentReply: Codable, Sendable {
    public var node: NodeRecord
    public var proof: String

    public init(node: NodeRecord, proof: String) {
        self.node = node
        self.proof = proof
    }
}

/// The answer to `POST /sync/enroll/challenge`.
public struct EnrollmentChallenge: Codable, Sendable {
    public var nodeId: String
    public var challenge: String

    public init(nodeId: String, challenge: String) {
        self.nodeId = nodeId
        self.challenge = challenge
    }
}
