import BoxofficeStore
import BoxofficeTestSupport
import Foundation
import Testing

/// The `boxoffice` executable itself: serve, the data directory lock, store check.
@Suite struct ServeCommandTests {
    @Test func serveHoldsTheDirectoryAndClosesCleanlyOnSIGTERM() async throws {
        let temporary = TemporaryDirectory("serve")
        defer { temporary.remove() }
        let data = temporary.file("node")
        let node = try ChildProcess("boxoffice", ["serve", "--data", data, "--node-id", "venue-a", "--port", "0"])
        #expect(node.waitForOutput(containing: "boxoffice node venue-a"), "serve did not start: \(node.standardError)")
        #expect(node.standardOutput.contains(" at http://127.0.0.1:"))
        // The store's own threads carry system names, for top -H, perf and bench/cpu-per-request.py.
        let threadNames = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(node.pid)/task").map { task in
            (try? String(contentsOfFile: "/proc/\(node.pid)/task/\(task)/comm", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        #expect(threadNames.contains("bo-journal") && threadNames.contains("bo-files"), "threads: \(threadNames)")

        let second = try ChildProcess("boxoffice", ["serve", "--data", data])
        #expect(second.waitForExit() != 0)
        #expect(second.standardError.contains("is in use by process \(node.pid)"), "got: \(second.standardError)")

        node.kill(SIGTERM)
        #expect(node.waitForExit() == 0)
        #expect(node.standardError.contains("shutting down"))

        let check = try ChildProcess("boxoffice", ["store", "check", "--data", data])
        #expect(check.waitForExit() == 0, "\(check.standardError)")
        #expect(check.standardOutput.contains("node            venue-a"))
        #expect(check.standardOutput.contains("damage          none"))
    }

    @Test func storeCheckReportsDamageAndFailsOnLostVersions() async throws {
        let temporary = TemporaryDirectory("check")
        defer { temporary.remove() }
        let directory = DataDirectory(temporary.file("node"))
        let store = try DocumentStore.open(directory, nodeID: "venue-a")
        for n in 0..<3 { try await store.put("events", "e\(n)", body: .emptyObject) }
        await store.close()
        let journal = directory.path + "/journal/00000000000000000001.log"
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: journal)))
        bytes[journalFrameOffsets(bytes)[0] + 12] ^= 0xFF  // inside the first frame
        try Data(bytes).write(to: URL(fileURLWithPath: journal))

        let check = try ChildProcess("boxoffice", ["store", "check", "--data", directory.path])
        #expect(check.waitForExit() == 1)
        #expect(check.standardOutput.contains("documents       2"))
        #expect(check.standardOutput.contains("versions 1–1 are lost here"), "got: \(check.standardOutput)")

        // A journal that lost whole segments: the document files remember how far it went.
        let emptied = DataDirectory(temporary.file("emptied"))
        let written = try DocumentStore.open(emptied, nodeID: "venue-b")
        for n in 0..<3 { try await written.put("events", "e\(n)", body: .emptyObject) }
        await written.close()
        try FileManager.default.removeItem(atPath: emptied.path + "/journal/00000000000000000001.log")
        let missing = try ChildProcess("boxoffice", ["store", "check", "--data", emptied.path])
        #expect(missing.waitForExit() == 1)
        #expect(
            missing.standardOutput.contains("versions 1–3 at least are lost here") && missing.standardOutput.contains("--from-start"),
            "got: \(missing.standardOutput)"
        )
    }

    @Test func aNewNodeWritesItsEventDefaultsAndAnUnusableOneStopsTheStart() async throws {
        let temporary = TemporaryDirectory("defaults")
        defer { temporary.remove() }
        let data = temporary.file("node")
        let made = try ChildProcess(
            "boxoffice",
            ["user", "add", "--data", data, "--email", "olga@venue.test", "--name", "Olga", "--password", "organizer-pw", "--role", "organizer"]
        )
        #expect(made.waitForExit() == 0, "\(made.standardError)")
        let file = data + "/boxoffice.json"
        let written = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: URL(fileURLWithPath: file)))
        #expect(written["eventDefaults"] == ["capacity": 100, "currency": "EUR", "hour": 20, "price": 0])
        #expect(written["timeZone"]?.string.flatMap(TimeZone.init(identifier:)) != nil)

        let original = try String(contentsOfFile: file, encoding: .utf8)
        let edits = [
            (#""hour": 20"#, #""hour": 25"#, "eventDefaults.hour must be between 0 and 23"),
            (#""timeZone": "[^"]*""#, #""timeZone": "Mars/Olympus""#, #"timeZone "Mars/Olympus" is not a time zone"#),
        ]
        for (field, value, says) in edits {
            let text = original.replacingOccurrences(of: field, with: value, options: .regularExpression)
            #expect(text != original, "\(field)")
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            let serve = try ChildProcess("boxoffice", ["serve", "--data", data, "--port", "0"])
            #expect(serve.waitForExit() != 0, "\(field)")
            #expect(serve.standardError.contains(says), "\(field): \(serve.standardError)")
        }
    }

    @Test func aSecretGivenToServeIsTheOneTheNodesOwnCommandsUse() async throws {
        let temporary = TemporaryDirectory("given-secret")
        defer { temporary.remove() }
        let data = temporary.file("node")
        let first = try ChildProcess("boxoffice", ["serve", "--data", data, "--port", "0"])
        #expect(first.waitForOutput(containing: "boxoffice node"), "serve did not start: \(first.standardError)")
        first.kill(SIGTERM)
        #expect(first.waitForExit() == 0)
        let generated = try NodeConfiguration.read(in: DataDirectory(data)).secret
        #expect(generated != nil)

        let node = try ChildProcess("boxoffice", ["serve", "--data", data, "--port", "0", "--secret", "venue-cluster-secret-42"])
        defer { node.kill(SIGTERM) }
        #expect(node.waitForOutput(containing: "boxoffice node"), "serve did not start: \(node.standardError)")
        #expect(node.standardError.contains("stored the given cluster secret"), "\(node.standardError)")
        #expect(try NodeConfiguration.read(in: DataDirectory(data)).secret == "venue-cluster-secret-42")
        // A sync through the running node enrolls it at a peer with the secret in its directory.
        let peer = try RunningNode(data: temporary.file("peer"), secret: "venue-cluster-secret-42")
        defer { peer.stop() }
        let sync = try ChildProcess("boxoffice", ["sync", peer.url, "--data", data])
        #expect(sync.waitForExit() == 0, "\(sync.standardError)")
    }

    @Test func aClientThatHangsUpMidBodyIsNoErrorOfTheNode() async throws {
        let temporary = TemporaryDirectory("hangup")
        defer { temporary.remove() }
        let node = try ChildProcess("boxoffice", ["serve", "--data", temporary.file("node"), "--port", "0"])
        #expect(node.waitForOutput(containing: "boxoffice node"), "\(node.standardError)")
        let port = try #require(node.standardOutput.split(separator: ":").last.flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) })
        let socket = try #require(LoopbackSocket(port: port))
        socket.send("POST /users/register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"name\": \"A")
        socket.close()
        #expect(try await eventually { node.standardError.contains("request not read whole") }, "\(node.standardError)")
        node.kill(SIGTERM)
        #expect(node.waitForExit() == 0)
        #expect(!node.standardError.contains(" error "), "\(node.standardError)")
    }

    @Test(arguments: [
        ("a 1 MiB header", "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "b", count: 1 << 20))\r\n\r\n"),
        ("1,000 headers", "GET /health HTTP/1.1\r\nHost: x\r\n" + (0..<1_000).map { "X-Header-\($0): v\r\n" }.joined() + "\r\n"),
        ("a 100 KiB URL", "GET /events?name=\(String(repeating: "u", count: 100 << 10)) HTTP/1.1\r\nHost: x\r\n\r\n"),
    ])
    func aRequestHeadOverTheLimitsIsAProblemNotABare400(_ what: String, _ request: String) throws {
        let temporary = TemporaryDirectory("heads")
        defer { temporary.remove() }
        let node = try ChildProcess("boxoffice", ["serve", "--data", temporary.file("node"), "--port", "0"])
        #expect(node.waitForOutput(containing: "boxoffice node"), "\(node.standardError)")
        let port = try #require(node.standardOutput.split(separator: ":").last.flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) })
        let socket = try #require(LoopbackSocket(port: port))
        socket.send(request)
        let answer = socket.receiveAll()
        socket.close()
        let parts = answer.components(separatedBy: "\r\n\r\n")
        #expect(parts.first?.hasPrefix("HTTP/1.1 400") == true, "\(what): \(answer.prefix(300))")
        #expect(parts.first?.lowercased().contains("content-type: application/problem+json") == true, "\(what): \(answer.prefix(300))")
        let problem = try JSONValue(parsing: Data(parts.dropFirst().joined(separator: "\r\n\r\n").utf8))
        #expect(problem["status"] == 400, "\(what)")
        #expect(problem["detail"]?.string?.contains("over the limit") == true, "\(what): \(problem)")
        node.kill(SIGTERM)
        #expect(node.waitForExit() == 0)
        #expect(node.standardError.contains("request refused"), "every refusal is logged: \(node.standardError)")
    }

    @Test func slowAndSurplusConnectionsCannotLockTheNode() async throws {
        let temporary = TemporaryDirectory("slow")
        defer { temporary.remove() }
        let node = try ChildProcess(
            "boxoffice",
            ["serve", "--data", temporary.file("node"), "--port", "0", "--head-timeout", "8", "--idle-timeout", "3", "--max-connections", "40"]
        )
        #expect(node.waitForOutput(containing: "boxoffice node"), "\(node.standardError)")
        let port = try #require(node.standardOutput.split(separator: ":").last.flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) })
        // Five times the cap of connections that start a request head and never finish it.
        let crowd = (0..<200).compactMap { _ in LoopbackSocket(port: port) }
        for socket in crowd { socket.send("GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ") }
        // A client that sends its request as it connects, as real ones do.
        let client = try #require(LoopbackSocket(port: port))
        client.send("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        let health = client.receiveAll(within: 20)
        client.close()
        #expect(health.hasPrefix("HTTP/1.1 200"), "a new client is served while the crowd holds its sockets: \(health)")
        let idle = try #require(LoopbackSocket(port: port))
        idle.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(idle.receiveAll(within: 20).hasPrefix("HTTP/1.1 200"), "the kept-alive connection is closed once idle")
        // Every one of the crowd is closed: most by the cap, in an order the kernel's accepts decide,
        // the rest when their head is not finished in time (awaited, not assumed of one socket).
        #expect(crowd.allSatisfy { $0.closedByServer(within: 20) }, "a head not finished in time is closed")
        for socket in crowd { socket.close() }
        idle.close()
        node.kill(SIGTERM)
        #expect(node.waitForExit() == 0)
        #expect(node.standardError.contains("connection cap reached"), "\(node.standardError.suffix(2_000))")
        #expect(node.standardError.contains("no request head in time"))
        #expect(node.standardError.contains("idle keep-alive connection closed"))
    }

    @Test func badArgumentsGetUsageNotACrash() throws {
        let badPort = try ChildProcess("boxoffice", ["serve", "--port", "70000"])
        #expect(badPort.waitForExit() == 64)
        #expect(badPort.standardError.contains("--port must be between 0 and 65535"))
        let badNode = try ChildProcess("boxoffice", ["serve", "--data", TemporaryDirectory("bad").file("d"), "--node-id", "no/slashes"])
        #expect(badNode.waitForExit() == 1)
        #expect(badNode.standardError.contains("not a valid identifier"))
        // Commands that only look at a node refuse a path with no node, instead of making one.
        let typo = TemporaryDirectory("typo")
        defer { typo.remove() }
        for command in [["store", "check"], ["store", "compact"], ["conflicts", "--check"]] {
            let run = try ChildProcess("boxoffice", command + ["--data", typo.file("nod")])
            #expect(run.waitForExit() != 0, "\(command)")
            #expect(run.standardError.contains("no Boxoffice node at"), "\(command): \(run.standardError)")
        }
        #expect(!FileManager.default.fileExists(atPath: typo.file("nod")), "nothing was created")
    }
}
