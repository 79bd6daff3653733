import BoxofficeCore
import BoxofficePostgres
import BoxofficeServer
import BoxofficeStore
import BoxofficeSync
import BoxofficeTestSupport
import BoxofficeVenue
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// A node's application on a temporary store, driven in process through HummingbirdTesting.
struct TestNode {
    static let secret = "test-cluster-secret"
    /// A peer the node knows (its roster record is in every test store): tests sign sync requests as it.
    static let peer = NodeKey(nodeID: "venue-b", privateKey: .init())
    /// The node's own key: it signs the node's access tokens.
    static let key = NodeKey(nodeID: "venue-a", privateKey: .init())

    /// Runs `body` against a fresh node whose store already has an organizer and a staff member:
    /// a file store, or a database of its own when the suites run on PostgreSQL
    /// (`BOXOFFICE_TEST_STORE=postgresql`, the second pass of `make test`).
    static func run<T: Sendable>(
        now: @escaping @Sendable () -> Date = { Date() },
        peers: [String] = [],
        demand: SeatDemand = SeatDemand(),
        configure: @Sendable (inout ServerConfiguration) -> Void = { _ in },
        _ body: @Sendable (TestNode, any TestClientProtocol) async throws -> T
    ) async throws -> T {
        let temporary = TemporaryDirectory("server")
        defer { temporary.remove() }
        var options = StoreOptions()
        options.indexes = VenueIndexes.all
        options.indexRevision = VenueIndexes.revision
        let database = TestDatabase.apiSuitesOnPostgres ? try TestDatabase.create() : nil
        defer { database?.drop() }
        let store: any VersionedStore =
            if let database {
                try await PostgresStore.open(database.url, nodeID: "venue-a", newNodeKey: key.encodedPrivateKey, options: options)
            } else {
                try DocumentStore.open(DataDirectory(temporary.file("node")), nodeID: "venue-a", options: options)
            }
        let organizerID = try await addUser(
            to: store,
            name: "Olga Organizer",
            email: "olga@venue.test",
            password: "organizer-pw",
            role: .organizer,
            passwordCost: 4
        )
        let staffID = try await addUser(to: store, name: "Sam Staff", email: "sam@venue.test", password: "staff-pw-1", role: .staff, passwordCost: 4)
        let peerRecord = NodeRecord(nodeId: peer.nodeID, publicKey: peer.publicKey, tlsPin: nil, createdAt: Date())
        _ = try await store.put(NodeRecord.collection, peer.nodeID, body: JSONBody(encoding: peerRecord))
        var configuration = ServerConfiguration(secret: secret, nodeKey: key)
        configuration.passwordCost = 4  // the fastest bcrypt: tests check behaviour, not hardness
        configuration.now = now
        configuration.peerStatus = SyncStatusBoard(urls: peers)
        configuration.seatDemand = demand
        configure(&configuration)
        let app = try await buildApplication(store: store, configuration: configuration, logger: Logger(label: "test"))
        let node = TestNode(store: store, organizerID: organizerID, staffID: staffID)
        do {
            let result = try await app.test(.router) { client in try await body(node, client) }
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }

    let store: any VersionedStore
    let organizerID: String
    let staffID: String

    /// A peer's concurrent edit of the event's location arrives and wins: this node's version
    /// loses, and a conflict is recorded. Returns the number of conflicts the merge recorded.
    /// Applies a peer's concurrent edit of the event's location, with a clock a second ahead of
    /// this node (the peer's edit wins) or a second behind the stored version (it loses).
    func editConcurrently(_ eventID: String, peerWins: Bool = true) async throws -> Int {
        let local = try #require(try await store.get("events", eventID))
        var edited = try local.body.decode(Event.self)
        edited.location = "Somewhere else"
        let hlc = HLC(wallMillis: peerWins ? HybridLogicalClock.systemMillis() + 1_000 : local.version.hlc.wallMillis - 1_000, counter: 0)
        let remote = Document(
            collection: "events",
            id: eventID,
            version: Version(hlc: hlc, node: "venue-b"),
            history: [],
            deleted: false,
            body: try JSONBody(encoding: edited)
        )
        return try await LocalNode(store: store).apply([remote], checkpoint: nil).conflicts
    }
}

/// JSON helpers for the test client.
extension TestClientProtocol {
    /// Sends a request with an optional JSON body; `authorization` goes out as it is given (the
    /// web app sends a bare token). The answer comes back decoded with its types.
    func send(
        _ method: HTTPRequest.Method,
        _ path: String,
        authorization: String? = nil,
        json: JSONValue? = nil,
        raw: String? = nil
    ) async throws -> (status: Int, body: JSONValue, headers: HTTPFields) {
        var headers: HTTPFields = [.accept: "application/json, text/plain, */*"]
        if let authorization { headers[.authorization] = authorization }
        if raw != nil { headers[.contentType] = "application/json" }
        let response = try await call(method, path, json: json, raw: raw, headers: headers)
        return (Int(response.status.code), response.body, response.headers)
    }

    /// Sends a request with an optional JSON body and bearer token. The answer comes back decoded
    /// with its types (`.null` for a body that is not JSON).
    @discardableResult
    func call(
        _ method: HTTPRequest.Method,
        _ path: String,
        token: String? = nil,
        json: JSONValue? = nil,
        raw: String? = nil,
        signedBy key: NodeKey? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> (status: HTTPResponse.Status, body: JSONValue, headers: HTTPFields) {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        var buffer: ByteBuffer?
        if let json {
            headers[.contentType] = "application/json"
            buffer = ByteBuffer(bytes: try JSONEncoder().encode(json))
        } else if let raw {
            buffer = ByteBuffer(string: raw)
        }
        // A peer's request: signed as sync-spec 7.3 says, over exactly these bytes.
        if let key {
            let body = buffer.map { Array(buffer: $0) } ?? []
            for (name, value) in RequestSignature.headers(method: method.rawValue, target: path, body: body, key: key) {
                headers[HTTPField.Name(name)!] = value
            }
        }
        return try await execute(uri: path, method: method, headers: headers, body: buffer) { response in
            (response.status, (try? JSONValue(parsing: Data(buffer: response.body))) ?? .null, response.headers)
        }
    }

    /// Registers an attendee and returns their token and id.
    func register(_ name: String, _ email: String, password: String = "attendee-pw") async throws -> (token: String, id: String) {
        let response = try await call(
            .post,
            "/users/register",
            json: ["name": .string(name), "email": .string(email), "password": .string(password)]
        )
        return (response.body["token"]?.string ?? "", response.body["user.id"]?.string ?? "")
    }

    func login(_ email: String, _ password: String) async throws -> String {
        try await call(.post, "/users/login", json: ["email": .string(email), "password": .string(password)]).body["token"]?.string ?? ""
    }

    /// Creates an event as the organizer and returns its id.
    func createEvent(token: String, capacity: Int = 50, name: String = "Jazz Night", date: String = "2030-06-01T20:00:00Z") async throws -> String {
        let response = try await call(
            .post,
            "/events",
            token: token,
            json: [
                "name": .string(name), "description": "Live", "date": .string(date), "location": "Main Hall", "capacity": .number(Double(capacity)),
                "price": 25.5, "currency": "EUR",
            ]
        )
        return response.body["id"]?.string ?? ""
    }
}
