import BoxofficeCore
import BoxofficeSync
import BoxofficeVenue
import Foundation
import HTTPTypes
import Hummingbird

/// `/sync/enroll`: how a node joins (sync-spec.md, section 7.2). Unsigned, since the node is not
/// known yet: the HMAC proof of the cluster secret is the credential.
struct EnrollmentRoutes {
    let enrollment: EnrollmentService
    let nodeID: String

    func addRoutes(to group: RouterGroup<BoxofficeRequestContext>) {
        group.post("challenge") { _, _ -> Response in
            SyncRoutes.json(try JSONCoding.encode(EnrollmentChallenge(nodeId: nodeID, challenge: enrollment.challenge())))
        }
        group.post("") { request, _ -> Response in
            let header = { (name: String) throws -> String in
                guard let value = HTTPField.Name(name).flatMap({ request.headers[$0] }), !value.isEmpty else {
                    throw DomainError.unauthenticated("enrollment needs the \(name) header")
                }
                return value
            }
            let challenge = try header(Enrollment.challengeHeader)
            try enrollment.redeem(challenge)
            let body = try await request.body.collect(upTo: 64 << 10)
            let versions: [Document]
            do { versions = try SyncWire.decodeVersions(Array(buffer: body)).versions } catch {
                throw SyncError.badRequest("the body must be a batch of one version: this node's roster record (\(error))")
            }
            guard versions.count == 1, let document = versions.first else {
                throw SyncError.badRequest("the body must be a batch of exactly one version: this node's roster record")
            }
            let (own, proof) = try await enrollment.enroll(
                document,
                challenge: challenge,
                clientChallenge: try header(Enrollment.clientChallengeHeader),
                proof: try header(Enrollment.proofHeader)
            )
            return SyncRoutes.json(try JSONCoding.encode(EnrollmentReply(node: try own.body.decode(NodeRecord.self), proof: proof)))
        }
    }
}
