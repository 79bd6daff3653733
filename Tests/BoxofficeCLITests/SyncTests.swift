import BoxofficeStore
import BoxofficeSync
import BoxofficeTestSupport
import Foundation
import Testing

/// Peer sync between real `boxoffice serve` processes on loopback, driven by `boxoffice sync`
/// (real libcurl).
@Suite struct SyncTests {
    static let secret = "sync-test-cluster-secret"

    /// A node with its own organizer, running.
    struct Node: Syncable {
        let running: RunningNode
        let client: HTTPTestClient
        let organizer: String
        /// The node's own key: the test reads its feed as the node itself, as its local tools do.
        let key: NodeKey
        var url: String { "http://127.0.0.1:\(running.port)" }
        var data: String { running.data }

        init(_ temporary: TemporaryDirectory, _ name: String, secret: String = SyncTests.secret, arguments: [String] = []) async throws {
            let data = temporary.file(name)
            let add = try ChildProcess(
                "boxoffice",
                [
                    "user", "add", "--data", data, "--email", "org@\(name).test", "--name", "Org \(name)", "--password", "organizer-pw", "--role",
                    "organizer",
                ]
            )
            #expect(add.waitForExit() == 0, "\(add.standardError)")
            running = try RunningNode(data: data, secret: secret, extraArguments: arguments)
            client = HTTPTestClient(port: running.port)
            let login = try await client.call(.post, "/users/login", json: ["email": "org@\(name).test", "password": "organizer-pw"])
            organizer = try #require(login.body["token"]?.string)
            let directory = DataDirectory(data)
            key = try NodeKey.loadOrCreate(in: directory, nodeID: try NodeConfiguration.read(in: directory).nodeID)
        }

        /// Creates an event here; `with` adds fields such as `salesPolicy` or `allocations`.
        func createEvent(_ name: String, capacity: Int = 100, with extra: [String: JSONValue] = [:]) async throws -> String {
            let fields: [String: JSONValue] = [
                "name": .string(name), "date": "2031-05-01T20:00:00Z", "location": "Hall", "capacity": .number(Double(capacity)), "price": 10,
                "currency": "EUR",
            ]
            let created = try await client.call(.post, "/events", token: organizer, json: .object(fields.merging(extra) { $1 }))
            return try #require(created.body["id"]?.string, "\(created.body)")
        }

        /// This node's id, as its peers know it.
        func nodeID() async throws -> String {
            try #require(try await client.call(.get, "/sync/info", signedBy: key).body["nodeId"]?.string)
        }

        /// Every synced document of the node, as its exact JSON, by collection/id.
        func documents() async throws -> [String: String] {
            try await SyncTests.documents(of: client, key: key)
        }
    }

    /// Every synced document of the node `client` talks to, read from its feed as the node
    /// `key` belongs to, as its exact JSON, by collection/id.
    static func documents(of client: HTTPTestClient, key: NodeKey) async throws -> [String: String] {
        var all: [String: String] = [:]
        for page in try await feedPages(of: client, key: key) {
            for version in page.parsed["versions"]?.array ?? [] {
                all[try documentKey(of: version)] = String(decoding: try version.sortedJSON(), as: UTF8.self)
            }
        }
        return all
    }

    /// Every page of the feed of the node `client` talks to, from its start, read as the node
    /// `key` belongs to: each as it came over the wire and parsed.
    static func feedPages(of client: HTTPTestClient, key: NodeKey) async throws -> [(raw: String, parsed: JSONValue)] {
        var pages: [(raw: String, parsed: JSONValue)] = []
        var since = 0
        while true {
            let raw = try await client.raw(.get, "/sync/changes?since=\(since)&limit=1000", signedBy: key)
            let page = try JSONValue(parsing: Data(raw.utf8))
            pages.append((raw, page))
            since = try #require(page["next"]?.int)
            if page["complete"] == true { return pages }
        }
    }

    /// A version's document as collection/id.
    static func documentKey(of version: JSONValue) throws -> String {
        "\(try #require(version["collection"]?.string))/\(try #require(version["id"]?.string))"
    }

    /// Anything `boxoffice sync` can sync with: a URL.
    protocol Syncable {
        var url: String { get }
    }

    /// A peer known only by its URL (a hub process).
    struct Peer: Syncable {
        let url: String
    }

    @discardableResult
    static func sync(_ node: Node, with peer: some Syncable, secret: String = SyncTests.secret) throws -> ChildProcess {
        let sync = try ChildProcess("boxoffice", ["sync", peer.url, "--data", node.data, "--secret", secret])
        sync.waitForExit()
        return sync
    }

    @Test func versionsLostToADamagedJournalFrameComeBackFromAPeer() async throws {
        let temporary = TemporaryDirectory("lost")
        defer { temporary.remove() }
        let a = try await Node(temporary, "a")
        defer { a.running.stop() }
        let d = temporary.file("d")  // a stopped node's directory: `boxoffice sync --data` opens its store
        func pull() throws -> ChildProcess {
            let sync = try ChildProcess("boxoffice", ["sync", a.url, "--data", d, "--secret", Self.secret, "--pull-only"])
            #expect(sync.waitForExit() == 0, "\(sync.standardError)")
            return sync
        }
        func documents() throws -> String? {
            let check = try ChildProcess("boxoffice", ["store", "check", "--data", d])
            check.waitForExit()
            return check.standardOutput.split(separator: "\n").first { $0.hasPrefix("documents") }.map(String.init)
        }
        _ = try await a.createEvent("First")
        _ = try pull()
        _ = try await a.createEvent("Second")
        _ = try pull()
        let whole = try #require(try documents())

        // The first pull's frame is damaged (frame 0 is the node's own roster record, written
        // before it first synced); the second pull's frame holds a checkpoint past it.
        let journal = d + "/journal"
        let segment = journal + "/" + (try #require(try FileManager.default.contentsOfDirectory(atPath: journal).sorted().first))
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: segment)))
        bytes[journalFrameOffsets(bytes)[1] + 20] ^= 0x40
        try Data(bytes).write(to: URL(fileURLWithPath: segment))
        #expect(try documents() != whole, "the damage loses the first pull's versions")
        // Compacting drops the damaged frame from the journal, but not the need to pull again.
        let compact = try ChildProcess("boxoffice", ["store", "compact", "--data", d])
        #expect(compact.waitForExit() == 0, "\(compact.standardError)")

        _ = try pull()
        #expect(try documents() == whole, "the peer restored every lost version")
    }

    @Test func aNodeRestoredFromABackupSendsEverythingAgainWithFromStart() async throws {
        let temporary = TemporaryDirectory("restore")
        defer { temporary.remove() }
        let a = try await Node(temporary, "a")
        defer { a.running.stop() }
        let d = temporary.file("d")  // a stopped node, synced through its data directory
        func addUser(_ name: String) throws {
            let add = try ChildProcess(
                "boxoffice",
                ["user", "add", "--data", d, "--email", "\(name)@d.test", "--name", name, "--password", "password-\(name)"]
            )
            #expect(add.waitForExit() == 0, "\(add.standardError)")
        }
        func sync(_ extra: [String] = []) throws {
            let sync = try ChildProcess("boxoffice", ["sync", a.url, "--data", d, "--secret", Self.secret] + extra)
            #expect(sync.waitForExit() == 0, "\(sync.standardError)")
        }
        func signsInAtA(_ name: String) async throws -> Bool {
            try await a.client.call(.post, "/users/login", json: ["email": "\(name)@d.test", "password": "password-\(name)"]).status == .ok
        }
        try addUser("first")
        try sync()
        try FileManager.default.copyItem(atPath: d, toPath: d + ".backup")
        try addUser("lost")  // written after the backup, and pushed: A's checkpoint for D passes the backup's end
        try sync()
        try FileManager.default.removeItem(atPath: d)
        try FileManager.default.moveItem(atPath: d + ".backup", toPath: d)
        for name in ["new1", "new2", "new3"] { try addUser(name) }  // the restored D writes past that checkpoint

        try sync(["--from-start"])
        for name in ["first", "lost", "new1", "new2", "new3"] {
            #expect(try await signsInAtA(name), "\(name) reached A")
        }
    }

    @Test func buyersAtAnotherVenueHearOfACancellationMadeWhileApart() async throws {
        let temporary = TemporaryDirectory("cancel-apart")
        defer { temporary.remove() }
        let a = try await Node(temporary, "a")
        let b = try await Node(temporary, "b")
        defer { for node in [a, b] { node.running.stop() } }
        let event = try await a.createEvent("Split", capacity: 20, with: ["allocations": [try await a.nodeID(): 10, try await b.nodeID(): 10]])
        let ada = try await a.client.call(.post, "/users/register", json: ["name": "Ada", "email": "ada@example.com", "password": "password-ada"])
        let adaToken = try #require(ada.body["token"]?.string)
        #expect(try await a.client.call(.post, "/tickets", token: adaToken, json: ["eventId": .string(event), "quantity": 1]).status == .created)
        #expect(try Self.sync(a, with: b).process.terminationStatus == 0)

        // Apart: A cancels; B, not knowing, sells to Bob.
        #expect(try await a.client.call(.post, "/events/\(event)/cancel", token: a.organizer).status == .ok)
        let bob = try await b.client.call(.post, "/users/register", json: ["name": "Bob", "email": "bob@example.com", "password": "password-bob"])
        let bobToken = try #require(bob.body["token"]?.string)
        let bobID = try #require(bob.body["user.id"]?.string)
        #expect(try await b.client.call(.post, "/tickets", token: bobToken, json: ["eventId": .string(event), "quantity": 2]).status == .created)
        #expect(try Self.sync(a, with: b).process.terminationStatus == 0)
        #expect(try Self.sync(a, with: b).process.terminationStatus == 0)

        for node in [a, b] {
            let login = try await node.client.call(.post, "/users/login", json: ["email": "bob@example.com", "password": "password-bob"])
            let token = try #require(login.body["token"]?.string)
            let inbox = try await node.client.call(.get, "/notifications/\(bobID)", token: token).body["notifications"]?.array ?? []
            #expect(inbox.filter { $0["kind"] == "eventCancelled" }.count == 1, "Bob is told once, on every node: \(inbox)")
        }
        let adaID = try #require(ada.body["user.id"]?.string)
        let adaNotes = try await a.client.call(.get, "/notifications/\(adaID)", token: adaToken).body["notifications"]?.array ?? []
        #expect(adaNotes.filter { $0["kind"] == "eventCancelled" }.count == 1, "Ada, told by A, is not told again by B")
    }

    @Test func nodesWritingApartConvergeToIdenticalDocuments() async throws {
        let temporary = TemporaryDirectory("sync3")
        defer { temporary.remove() }
        let a = try await Node(temporary, "a")
        let b = try await Node(temporary, "b")
        let c = try await Node(temporary, "c")
        defer { for node in [a, b, c] { node.running.stop() } }
        let eventA = try await a.createEvent("At A")
        _ = try await b.createEvent("At B")
        _ = try await c.createEvent("At C")
        #expect(try await a.client.call(.post, "/tickets", token: a.organizer, json: ["eventId": .string(eventA), "quantity": 2]).status == .created)

        let first = try Self.sync(a, with: b)
        #expect(first.process.terminationStatus == 0, "\(first.standardError)")
        #expect(first.standardOutput.contains("synced with \(b.url)"))
        #expect(try Self.sync(b, with: c).process.terminationStatus == 0)
        #expect(try Self.sync(a, with: b).process.terminationStatus == 0)

        let (docsA, docsB, docsC) = (try await a.documents(), try await b.documents(), try await c.documents())
        #expect(docsA.keys.filter { $0.hasPrefix("events/") }.count == 3)
        #expect(docsA.keys.filter { $0.hasPrefix("tickets/") }.count == 2)
        #expect(docsA == docsB)
        #expect(docsB == docsC)
        // A ticket sold at A counts at C too.
        #expect(try await c.client.call(.get, "/events/\(eventA)").body["sold"] == 2)
    }

    @Test func aConcurrentEditIsDecidedAlikeAndRecordedOnBothNodes() async throws {
        let temporary = TemporaryDirectory("conflict")
        defer { temporary.remove() }
        let a = try await Node(temporary, "a")
        let b = try await Node(temporary, "b")
        defer { for node in [a, b] { node.running.stop() } }
        let event = try await a.createEvent("Shared")
        #expect(try Self.sync(a, with: b).process.terminationStatus == 0)
        // Apart: each node's organizer edits the same event.
        #expect(try await a.client.call(.patch, "/events/\(event)", token: a.organizer, json: ["location": "Garden"]).status == .ok)
        #expect(try await b.client.call(.patch, "/events/\(event)", token: b.organizer, json: ["location": "Cellar"]).status == .ok)
        let sync = try Self.sync(a, with: b)
        #expect(sync.standardOutput.contains("conflicts 1") || sync.standardOutput.contains("conflicts 2"), "\(sync.standardOutput)")
        #expect(try Self.sync(a, with: b).process.terminationStatus == 0)

        let docsA = try await a.documents()
        #expect(docsA == (try await b.documents()))
        let locationA = try await a.client.call(.get, "/events/\(event)").body["location"]?.string
        #expect(locationA == (try await b.client.call(.get, "/events/\(event)").body["location"]?.string))
        let conflicts = docsA.filter { $0.key.hasPrefix("conflicts/") }
        #expect(conflicts.count == 1, "one conflict, recorded under the same id on both nodes")
        #expect(conflicts.values.first?.contains("last-writer-wins") == true)
    }

    @Test func aWrongSecretIsRefusedAndNothingIsApplied() async throws {
        let temporary = TemporaryDirectory("secret")
        defer { temporary.remove() }
        let a = try await Node(temporary, "a")
        let b = try await Node(temporary, "b")
        defer { for node in [a, b] { node.running.stop() } }
        _ = try await a.createEvent("Private")
        let before = try await b.documents()
        let sync = try ChildProcess("boxoffice", ["sync", b.url, "--data", a.data, "--secret", "not-the-secret"])
        #expect(sync.waitForExit() != 0)
        #expect(sync.standardError.contains("401"), "\(sync.standardError)")
        #expect(try await b.documents() == before)
        #expect(try await b.client.call(.get, "/sync/info").status == .unauthorized)
    }

    @Test func anUnreachablePeerIsACleanError() async throws {
        let temporary = TemporaryDirectory("down")
        defer { temporary.remove() }
        let a = try await Node(temporary, "a")
        defer { a.running.stop() }
        let sync = try ChildProcess("boxoffice", ["sync", "http://127.0.0.1:9", "--data", a.data, "--secret", Self.secret])
        #expect(sync.waitForExit() == 1)
        #expect(sync.standardError.contains("unreachable"), "\(sync.standardError)")
        #expect(try await a.client.call(.get, "/health").status == .ok)  // the node is unaffected
    }

    @Test func serveSyncsContinuouslyAndReportsPeerStatus() async throws {
        let temporary = TemporaryDirectory("continuous")
        defer { temporary.remove() }
        let b = try await Node(temporary, "b")
        let a = try await Node(temporary, "a", arguments: ["--peer", b.url, "--sync-interval", "0.2"])
        defer { a.running.stop() }
        let event = try await b.createEvent("Made at B")
        #expect(try await eventually { try await a.client.call(.get, "/events/\(event)").status == .ok }, "a never received b's event")
        let later = try await a.createEvent("Made at A")
        #expect(try await eventually { try await b.client.call(.get, "/events/\(later)").status == .ok }, "b never received a's event")

        let status = try await a.client.call(.get, "/sync/status", token: a.organizer)
        let peer = try #require(status.body["peers"]?.array?.first)
        #expect(peer["url"]?.string == b.url)
        #expect(peer["lastSuccess"] != nil)
        #expect(peer["lastError"] == nil)

        // Once converged, rounds go on succeeding but write nothing: a whole round leaves lastSeq alone.
        func lastSuccess() async throws -> String? {
            let status = try await a.client.call(.get, "/sync/status", token: a.organizer)
            return status.body["peers[0].lastSuccess"]?.string
        }
        #expect(
            try await eventually {
                let before = try await a.client.call(.get, "/sync/info", signedBy: a.key).body["lastSeq"]?.int
                let round = try await lastSuccess()
                guard try await eventually(within: 10, { try await lastSuccess() != round }) else { return false }
                return try await a.client.call(.get, "/sync/info", signedBy: a.key).body["lastSeq"]?.int == before
            },
            "idle syncing kept writing"
        )

        b.running.stop()
        #expect(
            try await eventually {
                let status = try await a.client.call(.get, "/sync/status", token: a.organizer)
                return status.body["peers[0].lastError"]?.string?.contains("unreachable") == true
            },
            "a never noticed that b is down"
        )
        #expect(try await a.client.call(.get, "/health").status == .ok)
    }

    @Test func aPeerListRefusesOtherNodes() async throws {
        let temporary = TemporaryDirectory("allow")
        defer { temporary.remove() }
        let a = try await Node(temporary, "a")
        let b = try await Node(temporary, "b", arguments: ["--allow-peer", "some-other-node"])
        defer { for node in [a, b] { node.running.stop() } }
        let sync = try ChildProcess("boxoffice", ["sync", b.url, "--data", a.data, "--secret", Self.secret])
        #expect(sync.waitForExit() != 0)
        #expect(sync.standardError.contains("403"), "\(sync.standardError)")
    }

    @Test func aTicketScannedAtTwoNodesWhileApartKeepsTheEarliestScan() async throws {
        let temporary = TemporaryDirectory("double-scan")
        defer { temporary.remove() }
        let a = try await Node(temporary, "a")
        let b = try await Node(temporary, "b")
        defer { for node in [a, b] { node.running.stop() } }
        let event = try await a.createEvent("Gig")
        let sale = try await a.client.call(.post, "/tickets", token: a.organizer, json: ["eventId": .string(event), "quantity": 1])
        let code = try #require(sale.body["tickets[0].code"]?.string)
        #expect(try Self.sync(a, with: b).process.terminationStatus == 0)

        // Apart: the same ticket is scanned at B's gate first, then at A's.
        #expect(try await b.client.call(.post, "/tickets/\(code)/checkin", token: b.organizer, json: ["gate": "East"]).status == .ok)
        #expect(try await a.client.call(.post, "/tickets/\(code)/checkin", token: a.organizer, json: ["gate": "West"]).status == .ok)
        #expect(try Self.sync(a, with: b).process.terminationStatus == 0)
        #expect(try Self.sync(a, with: b).process.terminationStatus == 0)

        for node in [a, b] {
            let again = try await node.client.call(.post, "/tickets/\(code)/checkin", token: node.organizer)
            #expect(again.body["detail"]?.string?.contains("gate East on node") == true, "\(again.body)")
        }
        let docsA = try await a.documents()
        #expect(docsA == (try await b.documents()))
        let conflict = try #require(docsA.first { $0.key.hasPrefix("conflicts/") }?.value)
        #expect(conflict.contains("double-check-in") && conflict.contains("first-writer-wins") && conflict.contains("West"))
    }

    @Test func anEmailRegisteredOnTwoNodesWhileApartStaysWithTheEarlierAccount() async throws {
        let temporary = TemporaryDirectory("duplicate-email")
        defer { temporary.remove() }
        let a = try await Node(temporary, "a")
        let b = try await Node(temporary, "b")
        defer { for node in [a, b] { node.running.stop() } }
        let first = try await a.client.call(
            .post,
            "/users/register",
            json: ["name": "Ada at A", "email": "ada@example.com", "password": "password-at-a"]
        )
        let second = try await b.client.call(
            .post,
            "/users/register",
            json: ["name": "Ada at B", "email": "ADA@example.com", "password": "password-at-b"]
        )
        #expect(first.status == .created && second.status == .created)
        let earlier = try #require(first.body["user.id"]?.string)
        // Both nodes detect the collision and write the same record; a second round settles its versions.
        #expect(try Self.sync(a, with: b).process.terminationStatus == 0)
        #expect(try Self.sync(a, with: b).process.terminationStatus == 0)

        for node in [a, b] {
            #expect(try await node.client.call(.post, "/users/login", json: ["email": "ada@example.com", "password": "password-at-a"]).status == .ok)
            let later = try await node.client.call(.post, "/users/login", json: ["email": "ada@example.com", "password": "password-at-b"])
            #expect(later.status == .conflict)
            #expect(later.body["detail"]?.string?.contains(earlier) == true, "\(later.body)")
            let report = try await node.client.call(.get, "/conflicts.json?kind=duplicate-email", token: node.organizer)
            #expect(report.body["conflicts"]?.array?.count == 1, "\(report.body)")
        }
        #expect(try await a.documents() == (try await b.documents()))

        // Staff resolve it (one person, two accounts): from then on each account signs in with its
        // own password, on every node the resolution reaches; a resolved record stays resolved.
        let report = try await a.client.call(.get, "/conflicts.json?kind=duplicate-email", token: a.organizer)
        let record = try #require(report.body["conflicts[0].id"]?.string)
        #expect(try await a.client.call(.post, "/conflicts/\(record)/resolve", token: a.organizer, json: ["note": "same person"]).status == .ok)
        #expect(try await a.client.call(.post, "/conflicts/\(record)/acknowledge", token: a.organizer).status == .conflict)
        #expect(try Self.sync(a, with: b).process.terminationStatus == 0)
        let later = try #require(second.body["user.id"]?.string)
        for node in [a, b] {
            let signedIn = try await node.client.call(.post, "/users/login", json: ["email": "ada@example.com", "password": "password-at-b"])
            #expect(signedIn.status == .ok, "\(signedIn.body)")
            #expect(signedIn.body["user.id"]?.string == later)
        }
    }

    @Test func escrowedSeatsNeverOversellAcrossNodesAndTransfersTravelBySync() async throws {
        let temporary = TemporaryDirectory("escrow")
        defer { temporary.remove() }
        let a = try await Node(temporary, "a")
        let b = try await Node(temporary, "b")
        defer { for node in [a, b] { node.running.stop() } }
        let idB = try await b.nodeID()
        let event = try await a.createEvent("Split", capacity: 5, with: ["allocations": [try await a.nodeID(): 3, idB: 2]])
        #expect(try Self.sync(a, with: b).process.terminationStatus == 0)

        // Apart: each node sells its own seats and no more, whatever the other has left.
        #expect(try await b.client.call(.post, "/tickets", token: b.organizer, json: ["eventId": .string(event), "quantity": 2]).status == .created)
        #expect(try await b.client.call(.post, "/tickets", token: b.organizer, json: ["eventId": .string(event), "quantity": 1]).status == .conflict)
        #expect(
            try await a.client.call(.post, "/events/\(event)/allocations/transfer", token: a.organizer, json: ["to": .string(idB), "seats": 1]).status
                == .ok
        )
        #expect(try await a.client.call(.post, "/tickets", token: a.organizer, json: ["eventId": .string(event), "quantity": 2]).status == .created)
        #expect(try await a.client.call(.post, "/tickets", token: a.organizer, json: ["eventId": .string(event), "quantity": 1]).status == .conflict)
        #expect(try Self.sync(a, with: b).process.terminationStatus == 0)

        // The transferred seat reached B with the sync.
        #expect(try await b.client.call(.get, "/events/\(event)").body["remainingHere"] == 1)
        #expect(try await b.client.call(.post, "/tickets", token: b.organizer, json: ["eventId": .string(event), "quantity": 1]).status == .created)
        #expect(try Self.sync(a, with: b).process.terminationStatus == 0)
        for node in [a, b] {
            let shown = try await node.client.call(.get, "/events/\(event)")
            #expect(shown.body["sold"] == 5 && shown.body["remaining"] == 0 && shown.body["remainingHere"] == 0)
        }
        #expect(try await a.documents() == (try await b.documents()))
    }

    @Test func anOversoldTicketAdmitsNoOneEvenBeforeItsSellerMarksIt() async throws {
        let temporary = TemporaryDirectory("oversold")
        defer { temporary.remove() }
        let a = try await Node(temporary, "a")
        let b = try await Node(temporary, "b")
        defer { for node in [a, b] { node.running.stop() } }
        let event = try await a.createEvent("Tiny", capacity: 1, with: ["salesPolicy": "overbook"])
        #expect(try Self.sync(a, with: b).process.terminationStatus == 0)

        // Apart, both sell the one seat; a's sale is first.
        func sell(at node: Node) async throws -> String {
            let sale = try await node.client.call(.post, "/tickets", token: node.organizer, json: ["eventId": .string(event), "quantity": 1])
            #expect(sale.status == .created)
            return try #require(sale.body["tickets[0].code"]?.string)
        }
        let first = try await sell(at: a)
        let second = try await sell(at: b)

        // One sync: a pulled b's sale but only b marks its own ticket, and a has not seen that yet.
        #expect(try Self.sync(a, with: b).process.terminationStatus == 0)
        let atA = try await a.client.call(.post, "/tickets/\(second)/checkin", token: a.organizer)
        #expect(atA.status == .gone && atA.body["detail"]?.string?.contains("oversold") == true, "\(atA.body)")
        #expect(try await a.client.call(.get, "/events/\(event)").body["sold"] == 1)
        #expect(try await a.client.call(.post, "/tickets/\(first)/checkin", token: a.organizer).status == .ok)

        #expect(try Self.sync(a, with: b).process.terminationStatus == 0)
        for node in [a, b] {
            #expect(try await node.client.call(.post, "/tickets/\(second)/checkin", token: node.organizer).status == .gone)
            let report = try await node.client.call(.get, "/conflicts.json?kind=oversold", token: node.organizer)
            #expect(report.body["conflicts"]?.array?.count == 1, "\(report.body)")
        }
        #expect(try await a.documents() == (try await b.documents()))
    }

    /// Capacity changes made at two nodes while apart both count: each is a change of the node's
    /// own seats, kept in its own allocation row, so neither undoes the other.
    @Test func capacityChangesMadeApartBothCount() async throws {
        let temporary = TemporaryDirectory("resize")
        defer { temporary.remove() }
        let a = try await Node(temporary, "a")
        let b = try await Node(temporary, "b")
        defer { for node in [a, b] { node.running.stop() } }
        let event = try await a.createEvent("Split", capacity: 10, with: ["allocations": [try await a.nodeID(): 5, try await b.nodeID(): 5]])
        #expect(try Self.sync(a, with: b).process.terminationStatus == 0)

        #expect(try await a.client.call(.patch, "/events/\(event)", token: a.organizer, json: ["capacity": 15]).body["capacity"] == 15)
        #expect(try await b.client.call(.patch, "/events/\(event)", token: b.organizer, json: ["capacity": 8]).body["capacity"] == 8)
        #expect(try await b.client.call(.post, "/tickets", token: b.organizer, json: ["eventId": .string(event), "quantity": 4]).status == .conflict)
        #expect(try Self.sync(a, with: b).process.terminationStatus == 0)
        #expect(try Self.sync(a, with: b).process.terminationStatus == 0)

        for (node, here) in [(a, 10), (b, 3)] {
            let shown = try await node.client.call(.get, "/events/\(event)")
            #expect(shown.body["capacity"] == 13 && shown.body["remaining"] == 13, "\(shown.body)")
            #expect(shown.body["remainingHere"]?.int == here, "\(shown.body)")
        }
        #expect(try await a.documents() == (try await b.documents()))
    }
}
