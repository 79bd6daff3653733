import BoxofficeStore
import BoxofficeSync
import BoxofficeTestSupport
import Foundation
import HTTPTypes
import Testing

/// The hub: one node served by two `boxoffice serve --store` processes on one PostgreSQL
/// database (the throwaway cluster of `make test`), as behind a load balancer.
@Suite(.timeLimit(.minutes(5))) struct HubTests {
    static let secret = "hub-test-cluster-secret"

    /// Two processes of node `hub` with an organizer, made with `user add --store`.
    struct Hub {
        let database: TestDatabase
        let processes: [RunningNode]
        let clients: [HTTPTestClient]
        let organizer: String

        init() async throws {
            let database = try TestDatabase.create()
            self.database = database
            let add = try ChildProcess(
                "boxoffice",
                [
                    "user", "add", "--store", database.url, "--node-id", "hub", "--email", "org@hub.test", "--name", "Hub Organizer",
                    "--password", "organizer-pw", "--role", "organizer",
                ]
            )
            #expect(add.waitForExit() == 0, "\(add.standardError)")
            processes = try (0..<2).map { _ in try RunningNode(store: database.url, secret: HubTests.secret) }
            clients = processes.map { HTTPTestClient(port: $0.port) }
            let login = try await clients[1].call(.post, "/users/login", json: ["email": "org@hub.test", "password": "organizer-pw"])
            organizer = try #require(login.body["token"]?.string, "\(login.body)")
        }

        func stop() {
            for process in processes { process.stop() }
            database.drop()
        }

        /// Creates an event through the first process.
        func createEvent(capacity: Int) async throws -> String {
            let created = try await clients[0].call(
                .post,
                "/events",
                token: organizer,
                json: [
                    "name": "On Sale", "date": "2031-05-01T20:00:00Z", "location": "Arena", "capacity": .number(Double(capacity)), "price": 30,
                    "currency": "EUR",
                ]
            )
            return try #require(created.body["id"]?.string, "\(created.body)")
        }

        /// Process `index` as a sync peer (`boxoffice sync` needs only its URL).
        func node(_ index: Int) -> SyncTests.Peer { SyncTests.Peer(url: "http://127.0.0.1:\(processes[index].port)") }

        /// The hub's key, as every process signs with it: read from the database.
        func key() throws -> NodeKey {
            try NodeKey(nodeID: "hub", encodedPrivateKey: try database.sql("SELECT node_key FROM boxoffice_node"), source: "test")
        }
    }

    /// Sixty buyers race for twenty seats through both processes at once: twenty sales, no
    /// oversell, and both processes show the same count.
    @Test func buyersRacingThroughTwoProcessesNeverOversell() async throws {
        let hub = try await Hub()
        defer { hub.stop() }
        let event = try await hub.createEvent(capacity: 20)
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for buyer in 0..<60 {
                let client = hub.clients[buyer % 2]
                group.addTask {
                    Int(try await client.call(.post, "/tickets", token: hub.organizer, json: ["eventId": .string(event), "quantity": 1]).status.code)
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses.filter { $0 == 201 }.count == 20)
        #expect(statuses.filter { $0 == 409 }.count == 40)
        for client in hub.clients {
            let shown = try await client.call(.get, "/events/\(event)")
            #expect(shown.body["sold"] == 20 && shown.body["remaining"] == 0)
        }
        let tickets = try hub.database.sql("SELECT count(*) FROM boxoffice_documents WHERE collection = 'tickets' AND body->>'eventId' = '\(event)'")
        #expect(tickets == "20")
    }

    /// The rules that rest on a check before a write hold across the processes: an
    /// Idempotency-Key sells once, an email registers once, a ticket is admitted once, a hold's
    /// seat is kept from other buyers whichever process they ask.
    @Test func everyRuleHoldsAcrossProcesses() async throws {
        let hub = try await Hub()
        defer { hub.stop() }
        let event = try await hub.createEvent(capacity: 3)

        // The same order sent to both processes at once: one sale, answered alike.
        async let first = hub.clients[0].call(
            .post,
            "/tickets",
            token: hub.organizer,
            json: ["eventId": .string(event), "quantity": 1],
            headers: [HTTPField.Name("Idempotency-Key")!: "order-77"]
        )
        async let second = hub.clients[1].call(
            .post,
            "/tickets",
            token: hub.organizer,
            json: ["eventId": .string(event), "quantity": 1],
            headers: [HTTPField.Name("Idempotency-Key")!: "order-77"]
        )
        let (one, two) = try await (first, second)
        #expect(one.status == .created && two.status == .created)
        #expect(one.body["tickets"] == two.body["tickets"])
        #expect(try await hub.clients[1].call(.get, "/events/\(event)").body["sold"] == 1)

        // One email registered through both at once: one account.
        async let ada = hub.clients[0].call(.post, "/users/register", json: ["name": "Ada", "email": "ada@hub.test", "password": "analytical"])
        async let bob = hub.clients[1].call(.post, "/users/register", json: ["name": "Bob", "email": "ada@hub.test", "password": "analytical"])
        let registered = try await [ada, bob].map { Int($0.status.code) }.sorted()
        #expect(registered == [201, 409])

        // A ticket scanned at two gates served by different processes: admitted once.
        let code = try #require(one.body["tickets"]?.array?.first?["code"]?.string)
        async let north = hub.clients[0].call(.post, "/tickets/\(code)/checkin", token: hub.organizer, json: ["gate": "North"])
        async let south = hub.clients[1].call(.post, "/tickets/\(code)/checkin", token: hub.organizer, json: ["gate": "South"])
        let scans = try await [north, south].map { Int($0.status.code) }.sorted()
        #expect(scans == [200, 409])

        // A hold made through one process keeps its seats from buyers at the other.
        let hold = try await hub.clients[0].call(.post, "/reservations", token: hub.organizer, json: ["eventId": .string(event), "quantity": 2])
        #expect(hold.status == .created, "\(hold.body)")
        #expect(
            try await hub.clients[1].call(.post, "/tickets", token: hub.organizer, json: ["eventId": .string(event), "quantity": 1]).status
                == .conflict
        )
        let holdID = try #require(hold.body["id"]?.string)
        #expect(try await hub.clients[1].call(.post, "/reservations/\(holdID)/confirm", token: hub.organizer).status == .created)
        #expect(try await hub.clients[0].call(.get, "/events/\(event)").body["sold"] == 3)
    }

    /// A venue on its own disk syncs with the hub through either process (real libcurl, signed
    /// requests): sales made on both sides reach both, and the documents end byte-identical. A
    /// signed request replayed to the other process is refused.
    @Test func aVenueSyncsWithTheHubThroughEitherProcess() async throws {
        let hub = try await Hub()
        defer { hub.stop() }
        let temporary = TemporaryDirectory("hub-venue")
        defer { temporary.remove() }
        let venue = try await SyncTests.Node(temporary, "venue", secret: Self.secret)
        defer { venue.running.stop() }
        let event = try await hub.createEvent(capacity: 10)
        #expect(
            try await hub.clients[1].call(.post, "/tickets", token: hub.organizer, json: ["eventId": .string(event), "quantity": 2]).status
                == .created
        )
        let venueEvent = try await venue.createEvent("Local Night", capacity: 5)
        #expect(
            try await venue.client.call(.post, "/tickets", token: venue.organizer, json: ["eventId": .string(venueEvent), "quantity": 1]).status
                == .created
        )

        for process in hub.processes {
            let sync = try ChildProcess("boxoffice", ["sync", "http://127.0.0.1:\(process.port)", "--data", venue.data, "--secret", Self.secret])
            #expect(sync.waitForExit() == 0, "\(sync.standardError)")
        }
        #expect(try await venue.client.call(.get, "/events/\(event)").body["sold"] == 2)
        #expect(try await hub.clients[0].call(.get, "/events/\(venueEvent)").body["sold"] == 1)
        let atHub = try await SyncTests.documents(of: hub.clients[0], key: try hub.key())
        #expect(try await venue.documents() == atHub)

        // A signed request is taken once by the node, whichever process it reaches again.
        var signed: HTTPFields = [:]
        for (name, value) in RequestSignature.headers(method: "GET", target: "/sync/info", body: [], key: venue.key) {
            signed[HTTPField.Name(name)!] = value
        }
        #expect(try await hub.clients[0].call(.get, "/sync/info", headers: signed).status == .ok)
        let replayed = try await hub.clients[1].call(.get, "/sync/info", headers: signed)
        #expect(replayed.status == .unauthorized && replayed.body["type"] == "/problems/replayed-signature", "\(replayed.body)")
    }

    /// A hub on its own disk moves onto PostgreSQL as the same node: `store export`, then
    /// `store import` into a new database. Its documents come over byte for byte at the feed
    /// positions they had, so a venue goes on from its checkpoint; its organizer signs in.
    @Test func aFileStoreHubMovesOntoPostgreSQLAsTheSameNode() async throws {
        let temporary = TemporaryDirectory("hub-move")
        defer { temporary.remove() }
        let old = try await SyncTests.Node(temporary, "hub", secret: Self.secret)
        let venue = try await SyncTests.Node(temporary, "venue", secret: Self.secret)
        defer { venue.running.stop() }
        let event = try await old.createEvent("Moving Night", capacity: 10)
        #expect(
            try await old.client.call(.post, "/tickets", token: old.organizer, json: ["eventId": .string(event), "quantity": 2]).status == .created
        )
        #expect(try SyncTests.sync(venue, with: old, secret: Self.secret).process.terminationStatus == 0)
        let before = try await old.documents()
        let hubID = try await old.nodeID()
        old.running.stop()

        let archive = temporary.file("hub.export")
        let export = try ChildProcess("boxoffice", ["store", "export", "--data", old.data, "--output", archive])
        #expect(export.waitForExit() == 0, "\(export.standardError)")
        let mode = try FileManager.default.attributesOfItem(atPath: archive)[.posixPermissions] as? Int
        #expect(mode == 0o600, "the file holds the secret and the node's key")
        let database = try TestDatabase.create()
        defer { database.drop() }
        let load = try ChildProcess("boxoffice", ["store", "import", "--store", database.url, "--input", archive])
        #expect(load.waitForExit() == 0, "\(load.standardError)")
        #expect(load.standardOutput.contains("as node \(hubID)"))
        // A second import into the same database is refused: positions never go back.
        let again = try ChildProcess("boxoffice", ["store", "import", "--store", database.url, "--input", archive])
        #expect(again.waitForExit() != 0 && again.standardError.contains("makes a new database a node"), "\(again.standardError)")
        // A file cut short is refused: no document is written, no process serves the database,
        // and the whole file imports into it afterwards.
        let cut = temporary.file("cut.export")
        let lines = try String(contentsOfFile: archive, encoding: .utf8).split(separator: "\n")
        try (lines.dropLast(2).joined(separator: "\n") + "\n").write(toFile: cut, atomically: true, encoding: .utf8)
        let other = try TestDatabase.create()
        defer { other.drop() }
        let short = try ChildProcess("boxoffice", ["store", "import", "--store", other.url, "--input", cut])
        #expect(short.waitForExit() != 0 && short.standardError.contains("cut short"), "\(short.standardError)")
        #expect(try other.sql("SELECT count(*) FROM boxoffice_documents") == "0")
        // (Every open refuses such a database; export is one that ends either way.)
        let refused = try ChildProcess("boxoffice", ["store", "export", "--store", other.url, "--output", temporary.file("again.export")])
        #expect(refused.waitForExit() != 0 && refused.standardError.contains("did not finish"), "\(refused.standardError)")
        let whole = try ChildProcess("boxoffice", ["store", "import", "--store", other.url, "--input", archive])
        #expect(whole.waitForExit() == 0, "\(whole.standardError)")

        let hub = try RunningNode(store: database.url, secret: Self.secret)
        defer { hub.stop() }
        let client = HTTPTestClient(port: hub.port)
        #expect(try await SyncTests.documents(of: client, key: old.key) == before, "the same documents, the same node key")
        let login = try await client.call(.post, "/users/login", json: ["email": "org@hub.test", "password": "organizer-pw"])
        let token = try #require(login.body["token"]?.string)
        #expect(try await client.call(.post, "/tickets", token: token, json: ["eventId": .string(event), "quantity": 1]).status == .created)

        // The venue syncs with the moved hub from where it was: only what is new comes over.
        let sync = try ChildProcess(
            "boxoffice",
            ["sync", "http://127.0.0.1:\(hub.port)", "--data", venue.data, "--secret", Self.secret, "--pull-only"]
        )
        #expect(sync.waitForExit() == 0, "\(sync.standardError)")
        let pulled = try #require(sync.standardOutput.split(separator: "pulled ").last?.split(separator: ",").first.flatMap { Int($0) })
        #expect(pulled > 0 && pulled < before.count / 2, "\(sync.standardOutput)")
        #expect(try await venue.client.call(.get, "/events/\(event)").body["sold"] == 3)
    }

    /// The operator's commands act on the hub's database while its processes serve: a new
    /// cluster secret is stored in it (every process reads it at its next start), a revoked node
    /// is refused by all of them at once.
    @Test func operatorCommandsWorkOnTheDatabase() async throws {
        let hub = try await Hub()
        defer { hub.stop() }
        let rotate = try ChildProcess("boxoffice", ["cluster", "rotate-secret", "--store", hub.database.url])
        #expect(rotate.waitForExit() == 0, "\(rotate.standardError)")
        let secret = rotate.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(secret.count == 52)
        #expect(try hub.database.sql("SELECT configuration->>'secret' FROM boxoffice_node") == secret)

        // A venue enrolled with the secret it had, then revoked through the database.
        let temporary = TemporaryDirectory("hub-revoke")
        defer { temporary.remove() }
        let venue = try await SyncTests.Node(temporary, "venue", secret: Self.secret)
        defer { venue.running.stop() }
        #expect(try SyncTests.sync(venue, with: hub.node(0), secret: Self.secret).process.terminationStatus == 0)
        let revoke = try ChildProcess(
            "boxoffice",
            ["node", "revoke", try await venue.nodeID(), "--store", hub.database.url, "--note", "stolen laptop"]
        )
        #expect(revoke.waitForExit() == 0, "\(revoke.standardError)")
        for process in 0..<2 {
            let refused = try SyncTests.sync(venue, with: hub.node(process), secret: Self.secret)
            #expect(refused.process.terminationStatus != 0 && refused.standardError.contains("revoked"), "\(refused.standardError)")
        }
        // A command meant for an existing hub never makes one of a mistyped database, and one
        // command takes one store.
        let empty = try TestDatabase.create()
        defer { empty.drop() }
        let mistyped = try ChildProcess("boxoffice", ["store", "export", "--store", empty.url, "--output", temporary.file("x.export")])
        #expect(mistyped.waitForExit() != 0 && mistyped.standardError.contains("holds no Boxoffice node"), "\(mistyped.standardError)")
        let both = try ChildProcess(
            "boxoffice",
            [
                "user", "add", "--data", temporary.file("d"), "--store", hub.database.url, "--email", "x@hub.test", "--name", "X", "--password",
                "long-enough",
            ]
        )
        #expect(both.waitForExit() != 0 && both.standardError.contains("two stores"), "\(both.standardError)")
    }

    /// Sales commit through both processes, eight at a time, while a venue pulls the hub's feed
    /// from its checkpoint five times a second: afterwards the venue has every ticket, byte for
    /// byte. A feed that let a position become visible after a later one had been read would
    /// leave that ticket out of every later pull for good.
    @Test func aVenuePullingWhileTwoProcessesCommitMissesNothing() async throws {
        let hub = try await Hub()
        defer { hub.stop() }
        let event = try await hub.createEvent(capacity: 1_000)
        let temporary = TemporaryDirectory("hub-puller")
        defer { temporary.remove() }
        let peer = ["--peer", "http://127.0.0.1:\(hub.processes[0].port)", "--sync-interval", "0.2"]
        let venue = try await SyncTests.Node(temporary, "venue", secret: Self.secret, arguments: peer)
        defer { venue.running.stop() }
        for round in 0..<25 {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for buyer in 0..<8 {
                    group.addTask {
                        let sale = try await hub.clients[(round + buyer) % 2].call(
                            .post,
                            "/tickets",
                            token: hub.organizer,
                            json: ["eventId": .string(event), "quantity": 1]
                        )
                        #expect(sale.status == .created)
                    }
                }
                try await group.waitForAll()
            }
        }
        let atHub = try await SyncTests.documents(of: hub.clients[1], key: try hub.key()).filter { $0.key.hasPrefix("tickets/") }
        #expect(atHub.count == 200)
        let complete = try await eventually(within: 60) {
            let atVenue = try await venue.documents()
            return atHub.allSatisfy { atVenue[$0.key] == $0.value }
        }
        #expect(complete, "the venue's pulls from its checkpoint brought every ticket")
        #expect(try await venue.client.call(.get, "/events/\(event)").body["sold"] == 200)
    }
}
