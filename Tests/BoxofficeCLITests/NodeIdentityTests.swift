import BoxofficeStore
import BoxofficeSync
import BoxofficeTestSupport
import Foundation
import Testing

/// Node identities between real processes: a node enrolls at its first sync without the cluster
/// secret crossing the wire, signs every request, and is shut out once revoked.
@Suite struct NodeIdentityTests {
    static let secret = "identity-test-cluster-secret-0001"

    @Test func aNodeEnrollsWithoutSendingTheSecretAndIsShutOutOnceRevoked() async throws {
        let temporary = TemporaryDirectory("identity")
        defer { temporary.remove() }
        let hub = try RunningNode(data: temporary.file("hub"), nodeID: "hub", secret: Self.secret)
        defer { hub.stop() }
        let wire = try TCPProxy()
        defer { wire.close() }
        wire.forward(to: hub.port)
        let venue = temporary.file("venue")
        let made = try ChildProcess(
            "boxoffice",
            [
                "user", "add", "--data", venue, "--node-id", "venue-b", "--email", "b@venue.test", "--name", "B", "--password", "organizer-pw",
                "--role", "organizer",
            ]
        )
        #expect(made.waitForExit() == 0, "\(made.standardError)")

        // The first sync enrolls venue-b at the hub; the wire (plain HTTP, so readable) never carries the secret.
        let first = try ChildProcess("boxoffice", ["sync", wire.url, "--data", venue, "--secret", Self.secret])
        #expect(first.waitForExit() == 0, "\(first.standardError)")
        let transcript = String(decoding: wire.transcript, as: UTF8.self)
        #expect(
            transcript.contains("POST /sync/enroll HTTP/1.1") && transcript.contains("Signature-Input: boxoffice="),
            "the capture shows enrollment and signed requests"
        )
        #expect(!transcript.contains(Self.secret), "the cluster secret crossed the wire")
        #expect(!transcript.lowercased().contains("authorization: bearer"))
        let key = try String(contentsOfFile: DataDirectory(venue).nodeKey, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!transcript.contains(key), "the private key crossed the wire")
        let mode = try FileManager.default.attributesOfItem(atPath: DataDirectory(venue).nodeKey)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        // Both records are in both rosters: the venue pulled the hub's, the hub enrolled the venue.
        let hubKey = try NodeKey.loadOrCreate(in: DataDirectory(hub.data), nodeID: "hub")
        let client = HTTPTestClient(port: hub.port)
        let feed = try await client.call(.get, "/sync/changes?since=0", signedBy: hubKey).body["versions"]?.array ?? []
        #expect(Set(feed.filter { $0["collection"] == "nodes" }.compactMap { $0["id"]?.string }) == ["hub", "venue-b"])
        #expect(feed.contains { $0["collection"] == "node-decisions" && $0["body"]?["action"] == "enrolled" && $0["body"]?["nodeId"] == "venue-b" })

        // A captured request sent again, or altered, is refused: a signature is tried once. (The
        // first GET /sync/info was refused as unknown before the node enrolled: still spent.)
        let captured = try #require(Self.firstRequest("GET /sync/info ", in: transcript), "no signed GET /sync/info captured")
        let altered = captured.replacingOccurrences(of: "GET /sync/info ", with: "GET /sync/node ")
        for (bytes, problem) in [(captured, "replayed-signature"), (altered, "replayed-signature")] {
            let socket = try #require(LoopbackSocket(port: hub.port))
            socket.send(String(bytes.dropLast(2)) + "Connection: close\r\n\r\n")  // an unsigned header: the answer ends the connection
            let answer = socket.receiveAll(within: 5)
            socket.close()
            #expect(answer.hasPrefix("HTTP/1.1 401") && answer.contains("/problems/\(problem)"), "\(problem): \(answer.prefix(300))")
        }

        // The venue's own token works at the hub (its key is in the hub's roster) until it is revoked.
        let venueNode = try RunningNode(data: venue, secret: Self.secret)
        defer { venueNode.stop() }
        let login = try await HTTPTestClient(port: venueNode.port).call(
            .post,
            "/users/login",
            json: ["email": "b@venue.test", "password": "organizer-pw"]
        )
        let token = try #require(login.body["token"]?.string)
        #expect(try await client.call(.get, "/users/profile", token: token).status == .ok)

        // A second sync needs no enrollment; a wrong secret cannot enroll another node.
        let again = try ChildProcess("boxoffice", ["sync", hub.url, "--data", venue, "--secret", "not-the-secret"])
        #expect(again.waitForExit() == 0, "an enrolled node syncs by its key alone: \(again.standardError)")
        let stranger = try ChildProcess("boxoffice", ["sync", hub.url, "--data", temporary.file("stranger"), "--secret", "not-the-secret"])
        #expect(stranger.waitForExit() != 0)
        #expect(stranger.standardError.contains("401") && stranger.standardError.contains("proof"), "\(stranger.standardError)")

        // Revoked at the hub through its own command line: the venue's next sync is refused.
        let revoke = try ChildProcess("boxoffice", ["node", "revoke", "venue-b", "--data", hub.data, "--note", "laptop stolen"])
        #expect(revoke.waitForExit() == 0, "\(revoke.standardError)")
        let refused = try ChildProcess("boxoffice", ["sync", hub.url, "--data", venue, "--secret", Self.secret])
        #expect(refused.waitForExit() != 0)
        #expect(refused.standardError.contains("403") && refused.standardError.contains("revoked"), "\(refused.standardError)")
        #expect(hub.process.standardError.contains("request refused"), "the refusal is logged")
        #expect(try await client.call(.get, "/users/profile", token: token).status == .unauthorized, "a revoked node's token")
    }

    /// The first request in a capture that starts with `head`, up to the end of its head (the
    /// GET carries no body): as an attacker on the wire would copy it.
    private static func firstRequest(_ head: String, in transcript: String) -> String? {
        guard let start = transcript.range(of: head), let end = transcript.range(of: "\r\n\r\n", range: start.upperBound..<transcript.endIndex) else {
            return nil
        }
        return String(transcript[start.lowerBound..<end.upperBound])
    }

    @Test func rotatingTheSecretPrintsANewOneAndStoresIt() throws {
        let temporary = TemporaryDirectory("rotate")
        defer { temporary.remove() }
        let data = temporary.file("node")
        let made = try ChildProcess("boxoffice", ["tls", "init", "--data", data, "--node-id", "venue-a"])
        #expect(made.waitForExit() == 0, "\(made.standardError)")
        let before = try NodeConfiguration.read(in: DataDirectory(data)).secret
        let rotate = try ChildProcess("boxoffice", ["cluster", "rotate-secret", "--data", data])
        #expect(rotate.waitForExit() == 0, "\(rotate.standardError)")
        let printed = rotate.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(printed.count == 52 && printed != before)
        #expect(try NodeConfiguration.read(in: DataDirectory(data)).secret == printed)
    }
}
