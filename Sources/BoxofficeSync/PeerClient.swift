public import BoxofficeCore
import Foundation

/// A peer's side of a sync, over HTTP with libcurl: `GET /sync/info`, `GET /sync/changes`,
/// `GET /sync/checkpoint`, `POST /sync/versions`, `POST /sync/seat-requests`, each signed with
/// this node's key (sync-spec.md, section 7.3). A peer that does not know this node yet is
/// enrolled with (section 7.2) when the client holds the cluster secret, then asked again.
/// Connection errors and 5xx answers are retried with exponential backoff and jitter.
public final class PeerClient: SyncEndpoint {
    public let baseURL: String
    private let key: NodeKey
    private let joining: Joining?
    private let attempts: Int
    private let session: CurlSession

    /// What enrolling with a peer takes: the cluster secret (only an HMAC of it is sent) and this
    /// node's own roster record (a version of `nodes/<node id>`).
    public struct Joining: Sendable {
        public let secret: String
        public let record: @Sendable () async throws -> Document

        public init(secret: String, record: @escaping @Sendable () async throws -> Document) {
            self.secret = secret
            self.record = record
        }
    }

    /// libcurl's version text, for `boxoffice --version`.
    public static var libcurlVersion: String { CurlSession.version }

    /// - Parameters:
    ///   - baseURL: the peer, e.g. `https://venue-b.example:8443`.
    ///   - key: this node's key, which signs every request (its node id is the key id).
    ///   - joining: how to enroll with a peer that does not know this node; nil never enrolls.
    ///   - trust: how an HTTPS peer is verified.
    ///   - attempts: tries per request before the peer counts as unreachable.
    public init(
        baseURL: String,
        key: NodeKey,
        joining: Joining? = nil,
        trust: PeerTrust = PeerTrust(),
        attempts: Int = 4,
        connectTimeoutMillis: Int = 2_000
    ) {
        var url = baseURL
        while url.hasSuffix("/") { url.removeLast() }
        self.baseURL = url
        self.key = key
        self.joining = joining
        self.attempts = max(1, attempts)
        self.session = CurlSession(trust: trust, connectTimeoutMillis: connectTimeoutMillis)
    }

    public func info() async throws -> SyncInfo {
        let info = try decode(SyncInfo.self, try await request("/sync/info"))
        guard info.protocol == SyncInfo.protocolVersion else {
            throw SyncError.protocolMismatch(local: SyncInfo.protocolVersion, remote: info.protocol)
        }
        return info
    }

    public func changes(since: UInt64, limit: Int) async throws -> ChangesPage {
        let body = try await request("/sync/changes?since=\(since)&limit=\(limit)")
        do { return try SyncWire.decodeChanges(body) } catch { throw SyncError.badResponse("\(error)") }
    }

    public func checkpoint(from peer: String) async throws -> UInt64 {
        try decode(Checkpoint.self, try await request("/sync/checkpoint?peer=\(peer)")).seq
    }

    /// The peer checks what it receives itself.
    public func check(_ versions: [Document]) -> CheckedBatch { CheckedBatch(versions: versions) }

    public func apply(_ batch: CheckedBatch, checkpoint: Checkpoint?) async throws -> ApplyResult {
        try decode(ApplyResult.self, try await request("/sync/versions", body: SyncWire.encode(batch.versions, checkpoint: checkpoint)))
    }

    /// Asks the peer for some of its unsold seats of an escrow event (automatic rebalancing).
    public func requestSeats(_ request: SeatRequest) async throws -> SeatGrant {
        let body = try JSONEncoder().encode(request)
        return try decode(SeatGrant.self, try await self.request("/sync/seat-requests", body: Array(body)))
    }

    /// The escrow events the peer is short of, with its demand (automatic rebalancing).
    public func seatWants() async throws -> SeatWants {
        try decode(SeatWants.self, try await request("/sync/seat-wants"))
    }

    private func decode<T: Decodable>(_ type: T.Type, _ body: [UInt8]) throws -> T {
        do { return try JSONCoding.decode(type, from: body) } catch { throw SyncError.badResponse("\(error)") }
    }

    /// Revokes `nodeID` at the peer, which must be this client's own node (its key signs).
    public func revoke(_ nodeID: String, note: String?) async throws {
        _ = try await request("/sync/nodes/\(nodeID)/revoke", body: Array(try JSONEncoder().encode(["note": note])))
    }

    /// This node's roster record as the peer holds it: `GET /sync/node` (for a tool that reaches
    /// its own running node and enrolls it elsewhere).
    public func nodeRecord() async throws -> Document {
        let versions = try SyncWire.decodeVersions(try await request("/sync/node")).versions
        guard let record = versions.first else { throw SyncError.badResponse("no roster record") }
        return record
    }

    private func request(_ path: String, body: [UInt8]? = nil) async throws -> [UInt8] {
        do {
            return try await signedRequest(path, body: body)
        } catch SyncError.notEnrolled where joining != nil {
            try await enroll()
            return try await signedRequest(path, body: body)
        }
    }

    private func signedRequest(_ path: String, body: [UInt8]?) async throws -> [UInt8] {
        try await send(path, body: body) {
            RequestSignature.headers(method: body == nil ? "GET" : "POST", target: path, body: body ?? [], key: self.key).map {
                "\($0.name): \($0.value)"
            }
        }
    }

    /// Proves the cluster secret to the peer and has it prove the same (sync-spec.md, section 7.2).
    private func enroll() async throws {
        guard let joining else { return }
        let challenge = try decode(EnrollmentChallenge.self, try await send("/sync/enroll/challenge", body: []) { [] })
        let own = try await joining.record()
        let record = try own.body.decode(NodeRecord.self)
        let clientChallenge = Enrollment.challenge()
        let proof = Enrollment.clientProof(
            secret: joining.secret,
            server: challenge.nodeId,
            challenge: challenge.challenge,
            clientChallenge: clientChallenge,
            record: record
        )
        let headers = [
            "\(Enrollment.challengeHeader): \(challenge.challenge)",
            "\(Enrollment.clientChallengeHeader): \(clientChallenge)",
            "\(Enrollment.proofHeader): \(proof)",
        ]
        let reply = try decode(EnrollmentReply.self, try await send("/sync/enroll", body: SyncWire.encode([own], checkpoint: nil)) { headers })
        let expected = Enrollment.serverProof(
            secret: joining.secret,
            challenge: challenge.challenge,
            clientChallenge: clientChallenge,
            record: reply.node
        )
        // Invariant: a peer that cannot prove the secret back is not synced with.
        guard reply.node.nodeId == challenge.nodeId, ConstantTime.equal(reply.proof, expected) else {
            throw SyncError.untrusted(url: baseURL, detail: "it could not prove that it knows the cluster secret")
        }
    }

    /// One request with retries; `headers` makes each attempt's own (a signature is used once).
    private func send(_ path: String, body: [UInt8]?, headers: () -> [String]) async throws -> [UInt8] {
        let url = baseURL + path
        var delay = 0.1
        for attempt in 1...attempts {
            let failure: SyncError
            do {
                var fields = headers() + ["Accept: application/json"]
                if body != nil { fields.append("Content-Type: application/json") }
                let reply = try await session.perform(url: url, headers: fields, body: body)
                switch reply.status {
                case 200..<300: return reply.body
                case 401 where Self.problemType(reply.body) == "/problems/unknown-node":
                    throw SyncError.notEnrolled(url: baseURL, detail: Self.detail(reply.body))
                case 401: throw SyncError.unauthorized(url: baseURL, detail: Self.detail(reply.body))
                case 403: throw SyncError.forbidden(url: baseURL, detail: Self.detail(reply.body))
                case 500...: failure = .http(status: reply.status, detail: Self.detail(reply.body))
                default: throw SyncError.http(status: reply.status, detail: Self.detail(reply.body))
                }
            } catch let error as CurlSession.TransportError {
                // Invariant: a peer that fails verification is never retried, nor sent anything.
                if error.isVerificationFailure { throw SyncError.untrusted(url: baseURL, detail: error.message) }
                failure = .unreachable(url: baseURL, detail: error.message)
            }
            guard attempt < attempts else { throw failure }
            // Exponential backoff with full jitter, so peers that lost a link do not retry in step.
            try await Task.sleep(for: .seconds(Double.random(in: delay / 2...delay)))
            delay *= 2
        }
        throw SyncError.unreachable(url: baseURL, detail: "no attempt made")
    }

    /// The `detail` of a problem+json answer, else the start of the body.
    private static func detail(_ body: [UInt8]) -> String {
        field("detail", of: body) ?? String(decoding: body.prefix(200), as: UTF8.self)
    }

    private static func problemType(_ body: [UInt8]) -> String? { field("type", of: body) }

    private static func field(_ name: String, of body: [UInt8]) -> String? {
        guard let problem = try? JSONDecoder().decode([String: JSONScalar].self, from: Data(body)), case let .text(value)? = problem[name] else {
            return nil
        }
        return value
    }

    private enum JSONScalar: Decodable {
        case text(String)
        case other

        init(from decoder: any Decoder) throws {
            self = (try? decoder.singleValueContainer().decode(String.self)).map(JSONScalar.text) ?? .other
        }
    }
}
