package import BoxofficeCore
import BoxofficeStore
package import BoxofficeSync
import Foundation

/// The peer's side of enrollment (sync-spec.md, section 7.2): hands out challenges, checks a
/// node's proof that it knows the cluster secret, takes its roster record, and proves the same
/// back with this node's own record.
package struct EnrollmentService: Sendable {
    let roster: NodeRoster
    let local: LocalNode
    let key: NodeKey
    let secret: String
    /// Node ids that may enroll; empty lets any node that proves the secret.
    let allowed: Set<String>
    /// Challenges handed out and not yet answered, with when they lapse.
    private let challenges = BoundedCache<String, Date>(limit: 10_000)

    package init(roster: NodeRoster, local: LocalNode, key: NodeKey, secret: String, allowed: Set<String> = []) {
        self.roster = roster
        self.local = local
        self.key = key
        self.secret = secret
        self.allowed = allowed
    }

    package func challenge() -> String {
        let challenge = Enrollment.challenge()
        challenges.set(roster.now().addingTimeInterval(Enrollment.challengeLifetime), for: challenge)
        return challenge
    }

    /// Takes a challenge this node handed out; the body of an enrollment is read only after.
    /// Invariant: a challenge is answered once, within its lifetime.
    package func redeem(_ challenge: String) throws(DomainError) {
        guard let lapses = challenges.take(challenge), lapses > roster.now() else {
            throw .unauthenticated("the challenge is unknown or has lapsed: ask POST /sync/enroll/challenge for a new one")
        }
    }

    /// Enrolls the node whose record is `document`, if its proof over `challenge` (redeemed) holds.
    /// - Returns: this node's own record and its proof back.
    package func enroll(_ document: Document, challenge: String, clientChallenge: String, proof: String) async throws -> (Document, String) {
        guard document.collection == NodeRecord.collection, let record = try? document.body.decode(NodeRecord.self), record.nodeId == document.id,
            NodeKey.publicKey(record.publicKey) != nil
        else { throw DomainError.invalidField("nodes", "the body must be one version of nodes/<node id> with its Ed25519 key") }
        let expected = Enrollment.clientProof(
            secret: secret,
            server: key.nodeID,
            challenge: challenge,
            clientChallenge: clientChallenge,
            record: record
        )
        guard ConstantTime.equal(proof, expected) else {
            throw DomainError.unauthenticated("the enrollment proof does not hold: the node does not have this cluster's secret")
        }
        guard allowed.isEmpty || allowed.contains(record.nodeId) else {
            throw DomainError.forbidden("this node does not accept sync from \(record.nodeId)")
        }
        guard record.nodeId != key.nodeID else {
            throw DomainError.conflictsWithState(field: "nodeId", reason: "\(record.nodeId) is this node's own id")
        }
        switch try await roster.standing(of: record.nodeId) {
        case .revoked:
            throw DomainError.forbidden("node \(record.nodeId) is revoked: enroll the machine again under a new node id")
        case .active:
            guard let known = try await roster.record(of: record.nodeId), known.publicKey == record.publicKey else {
                throw DomainError.conflictsWithState(field: "nodeId", reason: "node \(record.nodeId) is enrolled with another key; revoke it first")
            }
        case .unknown:
            break
        }
        _ = try await local.apply([document], checkpoint: nil)
        try await roster.recordEnrollment(of: record)
        guard let own = try await local.store.get(NodeRecord.collection, key.nodeID), let ownRecord = try? own.body.decode(NodeRecord.self) else {
            throw DomainError.conflictsWithState(field: "nodeId", reason: "this node has not declared itself yet")
        }
        return (own, Enrollment.serverProof(secret: secret, challenge: challenge, clientChallenge: clientChallenge, record: ownRecord))
    }
}
