import BoxofficeCore
import BoxofficeSync
import BoxofficeTestSupport
import BoxofficeVenue
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import BoxofficeServer

/// Signed peer requests (sync-spec 7.3), enrollment (7.2) and revocation, in process.
@Suite struct PeerSignatureTests {
    /// The signature headers of a request, made apart from sending it.
    private static func signature(
        _ method: String,
        _ target: String,
        body: String = "",
        key: NodeKey = TestNode.peer,
        now: Date = Date()
    ) -> HTTPFields {
        var fields: HTTPFields = [:]
        for (name, value) in RequestSignature.headers(method: method, target: target, body: Array(body.utf8), key: key, now: now) {
            fields[HTTPField.Name(name)!] = value
        }
        return fields
    }

    @Test func aSignatureIsRefusedWhenReplayedTamperedUnknownOrOutOfTime() async throws {
        try await TestNode.run { _, client in
            let signed = Self.signature("GET", "/sync/checkpoint?peer=venue-b")
            #expect(try await client.call(.get, "/sync/checkpoint?peer=venue-b", headers: signed).status == .ok)
            let replay = try await client.call(.get, "/sync/checkpoint?peer=venue-b", headers: signed)
            #expect(replay.status == .unauthorized && replay.body["type"] == "/problems/replayed-signature", "\(replay.body)")

            // Tampered: another query, another method, another body than the ones signed.
            let query = try await client.call(.get, "/sync/checkpoint?peer=venue-c", headers: Self.signature("GET", "/sync/checkpoint?peer=venue-b"))
            #expect(query.status == .unauthorized && query.body["type"] == "/problems/bad-signature", "\(query.body)")
            let method = try await client.call(.post, "/sync/versions", raw: "{}", headers: Self.signature("GET", "/sync/versions", body: "{}"))
            #expect(method.status == .unauthorized && method.body["type"] == "/problems/bad-signature", "\(method.body)")
            let batch = #"{"versions":[],"checkpoint":null}"#
            let body = try await client.call(.post, "/sync/versions", raw: batch, headers: Self.signature("POST", "/sync/versions", body: "{}"))
            #expect(body.status == .unauthorized && body.body["detail"]?.string?.contains("Content-Digest") == true, "\(body.body)")

            // A key the node has never enrolled, and the right node id with another key.
            let stranger = NodeKey(nodeID: "venue-x", privateKey: .init())
            let unknown = try await client.call(.get, "/sync/info", signedBy: stranger)
            #expect(unknown.status == .unauthorized && unknown.body["type"] == "/problems/unknown-node", "\(unknown.body)")
            let impostor = try await client.call(.get, "/sync/info", signedBy: NodeKey(nodeID: "venue-b", privateKey: .init()))
            #expect(impostor.status == .unauthorized && impostor.body["type"] == "/problems/bad-signature", "\(impostor.body)")

            // Signed two minutes ago, or two minutes ahead: outside the window either way.
            for offset in [-120.0, 120.0] {
                let late = try await client.call(
                    .get,
                    "/sync/info",
                    headers: Self.signature("GET", "/sync/info", now: Date().addingTimeInterval(offset))
                )
                #expect(late.status == .unauthorized && late.body["type"] == "/problems/signature-outside-window", "\(offset): \(late.body)")
            }
            #expect(try await client.call(.get, "/sync/info", signedBy: TestNode.peer).status == .ok)
        }
    }

    @Test func aNodeEnrollsByProvingTheSecretWithoutSendingIt() async throws {
        try await TestNode.run { node, client in
            let key = NodeKey(nodeID: "venue-c", privateKey: .init())
            let record = NodeRecord(nodeId: "venue-c", publicKey: key.publicKey, tlsPin: nil, createdAt: Date())
            let version = Document(
                collection: NodeRecord.collection,
                id: "venue-c",
                version: Version(hlc: HLC(wallMillis: HybridLogicalClock.systemMillis(), counter: 0), node: "venue-c"),
                history: [],
                deleted: false,
                body: try JSONBody(encoding: record)
            )
            let batch = String(decoding: SyncWire.encode([version], checkpoint: nil), as: UTF8.self)
            func enroll(
                secret: String,
                challenge given: String? = nil
            ) async throws -> (status: HTTPResponse.Status, body: JSONValue, challenge: String) {
                var challenge = given ?? ""
                if given == nil { challenge = try await client.call(.post, "/sync/enroll/challenge").body["challenge"]?.string ?? "" }
                let proof = Enrollment.clientProof(secret: secret, server: "venue-a", challenge: challenge, clientChallenge: "mine", record: record)
                let headers: HTTPFields = [
                    HTTPField.Name(Enrollment.challengeHeader)!: challenge,
                    HTTPField.Name(Enrollment.clientChallengeHeader)!: "mine",
                    HTTPField.Name(Enrollment.proofHeader)!: proof,
                ]
                let reply = try await client.call(.post, "/sync/enroll", raw: batch, headers: headers)
                return (reply.status, reply.body, challenge)
            }
            let wrong = try await enroll(secret: "not-the-secret")
            #expect(wrong.status == .unauthorized, "\(wrong.body)")
            #expect(try await client.call(.get, "/sync/info", signedBy: key).status == .unauthorized)
            // A challenge is good once: the one a wrong proof used is gone.
            #expect(try await enroll(secret: TestNode.secret, challenge: wrong.challenge).status == .unauthorized)

            let enrolled = try await enroll(secret: TestNode.secret)
            #expect(enrolled.status == .ok, "\(enrolled.body)")
            let reply = try JSONCoding.decode(EnrollmentReply.self, from: Array(try enrolled.body.sortedJSON()))
            #expect(reply.node.nodeId == "venue-a")
            let expected = Enrollment.serverProof(secret: TestNode.secret, challenge: enrolled.challenge, clientChallenge: "mine", record: reply.node)
            #expect(ConstantTime.equal(reply.proof, expected), "the node proves the secret back")
            #expect(try await client.call(.get, "/sync/info", signedBy: key).status == .ok)
            let decisions = try await node.store.documents(in: NodeDecision.collection).map { try $0.body.decode(NodeDecision.self) }
            #expect(decisions.contains { $0.nodeId == "venue-c" && $0.action == .enrolled && $0.byNode == "venue-a" })

            // Another machine claiming the id with another key is refused.
            let other = NodeKey(nodeID: "venue-c", privateKey: .init())
            let claim = NodeRecord(nodeId: "venue-c", publicKey: other.publicKey, tlsPin: nil, createdAt: Date())
            let second = Document(
                collection: NodeRecord.collection,
                id: "venue-c",
                version: Version(hlc: HLC(wallMillis: HybridLogicalClock.systemMillis() + 1, counter: 0), node: "venue-c"),
                history: [],
                deleted: false,
                body: try JSONBody(encoding: claim)
            )
            let challenge = try #require(try await client.call(.post, "/sync/enroll/challenge").body["challenge"]?.string)
            let headers: HTTPFields = [
                HTTPField.Name(Enrollment.challengeHeader)!: challenge,
                HTTPField.Name(Enrollment.clientChallengeHeader)!: "mine",
                HTTPField.Name(Enrollment.proofHeader)!: Enrollment.clientProof(
                    secret: TestNode.secret,
                    server: "venue-a",
                    challenge: challenge,
                    clientChallenge: "mine",
                    record: claim
                ),
            ]
            let taken = try await client.call(
                .post,
                "/sync/enroll",
                raw: String(decoding: SyncWire.encode([second], checkpoint: nil), as: UTF8.self),
                headers: headers
            )
            #expect(taken.status == .conflict, "\(taken.body)")
        }
    }

    @Test func aRevokedNodeIsShutOutAndTheDecisionIsListed() async throws {
        try await TestNode.run { node, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            // Tokens carry their issuer as kid and are checked with its roster key: venue-b's is
            // good here, a stranger's is not, and neither is a token venue-a's secret could sign.
            let roster = NodeRoster(store: node.store, now: { Date() })
            let fromB = try await AccessTokens(key: TestNode.peer, roster: roster, lifetime: 600).issue(
                userId: node.staffID,
                role: .staff,
                now: Date()
            )
            #expect(try await client.call(.get, "/users/profile", token: fromB).status == .ok)
            let stranger = NodeKey(nodeID: "venue-x", privateKey: .init())
            let fromX = try await AccessTokens(key: stranger, roster: roster, lifetime: 600).issue(userId: node.staffID, role: .staff, now: Date())
            #expect(try await client.call(.get, "/users/profile", token: fromX).status == .unauthorized)
            let forged = try await AccessTokens(key: NodeKey(nodeID: "venue-b", privateKey: .init()), roster: roster, lifetime: 600)
                .issue(userId: node.staffID, role: .staff, now: Date())
            #expect(try await client.call(.get, "/users/profile", token: forged).status == .unauthorized)

            let staff = try await client.login("sam@venue.test", "staff-pw-1")
            let listing = try await client.call(.get, "/nodes", token: organizer)
            let ids = listing.body["nodes"]?.array?.compactMap { $0["nodeId"]?.string }
            #expect(ids == ["venue-a", "venue-b"], "\(listing.body)")
            #expect(try await client.call(.post, "/nodes/venue-b/revoke", token: staff).status == .forbidden)
            #expect(try await client.call(.post, "/nodes/venue-a/revoke", token: organizer).status == .conflict)
            #expect(try await client.call(.post, "/nodes/venue-z/revoke", token: organizer).status == .notFound)

            // Through /sync only this node's own key revokes.
            let byPeer = try await client.call(.post, "/sync/nodes/venue-b/revoke", signedBy: TestNode.peer)
            #expect(byPeer.status == .forbidden, "\(byPeer.body)")
            let revoked = try await client.call(.post, "/nodes/venue-b/revoke", token: organizer, json: ["note": "laptop stolen"])
            #expect(revoked.status == .ok && revoked.body["status"] == "revoked" && revoked.body["note"] == "laptop stolen", "\(revoked.body)")
            let refused = try await client.call(.get, "/sync/info", signedBy: TestNode.peer)
            #expect(refused.status == .forbidden && refused.body["type"] == "/problems/node-revoked", "\(refused.body)")
            #expect(try await client.call(.get, "/users/profile", token: fromB).status == .unauthorized, "a revoked node's tokens stop working")

            // Relayed by a node in good standing: what venue-b wrote before its revocation is
            // taken, what it wrote after is not.
            let relay = NodeKey(nodeID: "venue-c", privateKey: .init())
            let record = NodeRecord(nodeId: "venue-c", publicKey: relay.publicKey, tlsPin: nil, createdAt: Date())
            _ = try await node.store.put(NodeRecord.collection, "venue-c", body: JSONBody(encoding: record))
            let now = HybridLogicalClock.systemMillis()
            let versions = [("e-before", now - 3_600_000), ("e-after", now + 1_000)].map { id, millis in
                #"{"collection":"events","id":"\#(id)","version":{"hlc":"\#(HLC(wallMillis: millis, counter: 0))","node":"venue-b"},"history":[],"deleted":false,"body":{"name":"\#(id)","description":"","date":"2031-01-01T20:00:00Z","location":"Hall","capacity":10,"price":10,"currency":"EUR","salesPolicy":"escrow","status":"scheduled","organizerId":"u-peer","createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z"}}"#
            }
            let relayed = try await client.call(.post, "/sync/versions", raw: #"{"versions":[\#(versions.joined(separator: ","))]}"#, signedBy: relay)
            #expect(relayed.status == .ok && relayed.body["applied"] == 1 && relayed.body["ignored"] == 1, "\(relayed.body)")
            #expect(try await client.call(.get, "/events/e-before").status == .ok)
            #expect(try await client.call(.get, "/events/e-after").status == .notFound)
            let listed = try await client.call(.get, "/nodes", token: organizer).body["nodes"]?[1]
            #expect(listed?["status"] == "revoked" && listed?["revokedBy"]?.string != nil, "\(String(describing: listed))")
        }
    }
}
