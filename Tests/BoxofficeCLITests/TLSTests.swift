import BoxofficeStore
import BoxofficeTestSupport
import Foundation
import NIOSSL
import Testing

/// HTTPS between venues: `tls init`, a node serving HTTPS, peers verified by pin or CA with real
/// libcurl, and nothing sent to a peer that fails verification.
@Suite struct TLSTests {
    static let secret = "tls-test-cluster-secret"

    /// `tls init` on a new directory: its certificate, key and printed pin.
    private static func initNode(_ data: String, id: String) throws -> String {
        let made = try ChildProcess("boxoffice", ["tls", "init", "--data", data, "--node-id", id, "--name", "venue.example"])
        #expect(made.waitForExit() == 0, "\(made.standardError)")
        let line = try #require(made.standardOutput.split(separator: "\n").first { $0.hasPrefix("pin ") })
        return line.split(separator: " ").last.map(String.init) ?? ""
    }

    /// Starts a node on a new directory with an organizer, and signs the organizer in.
    private static func nodeWithOrganizer(_ data: String, id: String, arguments: [String]) async throws -> (RunningNode, String) {
        let add = try ChildProcess(
            "boxoffice",
            [
                "user", "add", "--data", data, "--node-id", id, "--email", "org@\(id).test", "--name", "Org", "--password", "organizer-pw", "--role",
                "organizer",
            ]
        )
        #expect(add.waitForExit() == 0, "\(add.standardError)")
        let node = try RunningNode(data: data, secret: Self.secret, extraArguments: arguments)
        let login = try await HTTPTestClient(port: node.port).call(
            .post,
            "/users/login",
            json: ["email": .string("org@\(id).test"), "password": "organizer-pw"]
        )
        return (node, try #require(login.body["token"]?.string))
    }

    @Test func aNodeWithACertificateServesHTTPSAndPeersTrustItByPinOrCertificate() async throws {
        let temporary = TemporaryDirectory("tls")
        defer { temporary.remove() }
        let (a, b) = (temporary.file("a"), temporary.file("b"))
        let pin = try Self.initNode(a, id: "venue-a")
        #expect(pin.hasPrefix("sha256//") && pin.count == 52, "pin: \(pin)")
        let key = try FileManager.default.attributesOfItem(atPath: DataDirectory(a).tlsKey)
        #expect((key[.posixPermissions] as? Int) == 0o600)
        let again = try ChildProcess("boxoffice", ["tls", "init", "--data", a])
        #expect(again.waitForExit() != 0 && again.standardError.contains("--force"), "\(again.standardError)")

        let node = try RunningNode(data: a, secret: Self.secret)
        defer { node.stop() }
        #expect(node.url.hasPrefix("https://127.0.0.1:") && node.pin == pin, "\(node.url) \(node.pin ?? "no pin")")

        // Not trusted: refused before anything is sent, and not retried.
        let sync = { (extra: [String]) in try ChildProcess("boxoffice", ["sync", node.url, "--data", b, "--secret", Self.secret] + extra) }
        let unknown = try sync([])
        #expect(unknown.waitForExit() != 0)
        #expect(
            unknown.standardError.contains("could not be verified") && unknown.standardError.contains("nothing was sent"),
            "\(unknown.standardError)"
        )
        let wrongPin = try sync(["--pin", "sha256//" + Data(repeating: 7, count: 32).base64EncodedString()])
        #expect(wrongPin.waitForExit() != 0)
        #expect(wrongPin.standardError.contains("could not be verified"), "\(wrongPin.standardError)")
        let malformedPin = try sync(["--pin", "sha256//short"])
        #expect(malformedPin.waitForExit() != 0 && malformedPin.standardError.contains("--pin sha256//short"), "\(malformedPin.standardError)")

        // Trusted by its pin, or by its certificate given as the CA.
        let pinned = try sync(["--pin", pin])
        #expect(pinned.waitForExit() == 0, "\(pinned.standardError)")
        #expect(pinned.standardOutput.contains("synced with \(node.url)"))
        let byCertificate = try sync(["--ca", DataDirectory(a).tlsCertificate])
        #expect(byCertificate.waitForExit() == 0, "\(byCertificate.standardError)")

        // The node's own commands reach it through HTTPS, trusting the pin it wrote beside its URL.
        let report = try ChildProcess("boxoffice", ["conflicts", "--data", a, "--json"])
        #expect(report.waitForExit() == 0, "\(report.standardError)")

        // Plain HTTP to the HTTPS port gets no answer, and the refusal is logged.
        let plain = try #require(LoopbackSocket(port: node.port))
        defer { plain.close() }
        plain.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        #expect(!plain.receiveAll(within: 10).contains("HTTP/1.1 200"))
        #expect(try await eventually { node.process.standardError.contains("TLS handshake refused") }, "\(node.process.standardError)")
    }

    @Test func pagesOverHTTPSSetSecureCookiesAndContinuousSyncRunsOverTLS() async throws {
        let temporary = TemporaryDirectory("tls-serve")
        defer { temporary.remove() }
        let (a, b) = (temporary.file("a"), temporary.file("b"))
        let pin = try Self.initNode(a, id: "venue-a")
        let hub = try RunningNode(data: a, secret: Self.secret)
        defer { hub.stop() }

        var trust = TLSConfiguration.makeClientConfiguration()
        trust.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(DataDirectory(a).tlsCertificate))
        let browser = HTTPTestClient(port: hub.port, tls: trust)
        let login = try await browser.call(.get, "/web/login")
        #expect(login.status == .ok)
        let cookies = login.headers[values: .setCookie]
        #expect(!cookies.isEmpty && cookies.allSatisfy { $0.contains("; Secure") }, "\(cookies)")

        // One venue trusts the hub by its pin, the other by nothing: it syncs never and says why.
        let (venue, venueToken) = try await Self.nodeWithOrganizer(
            b,
            id: "venue-b",
            arguments: ["--peer", hub.url, "--pin", pin, "--sync-interval", "0.2"]
        )
        defer { venue.stop() }
        let (untrusting, untrustingToken) = try await Self.nodeWithOrganizer(
            temporary.file("c"),
            id: "venue-c",
            arguments: ["--peer", hub.url, "--sync-interval", "0.2"]
        )
        defer { untrusting.stop() }
        var (trusted, refused) = (JSONValue.null, JSONValue.null)
        let synced = try await eventually {
            trusted = try await HTTPTestClient(port: venue.port).call(.get, "/sync/status", token: venueToken).body["peers"]?[0] ?? .null
            return trusted["lastSuccess"]?.string != nil
        }
        #expect(synced && trusted["nodeId"]?.string == "venue-a", "\(trusted)")
        let named = try await eventually {
            refused = try await HTTPTestClient(port: untrusting.port).call(.get, "/sync/status", token: untrustingToken).body["peers"]?[0] ?? .null
            return refused["lastError"]?.string?.contains("could not be verified") == true
        }
        #expect(named && refused["lastSuccess"]?.string == nil, "\(refused)")
    }
}
