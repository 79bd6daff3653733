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
