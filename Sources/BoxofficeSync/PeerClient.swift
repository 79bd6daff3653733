public import BoxofficeCore
import Foundation

/// A peer's side of a sync, over HTTP with libcurl: `GET /sync/info`, `GET /sync/changes`,
/// `GET /sync/checkpoint`, `POST /sync/versions`, `POST /sync/seat-requests`, each with the
/// cluster secret.
/// Connection errors and 5xx answers are retried with exponential backoff and jitter.
public final class PeerClient: SyncEndpoint {
    public let baseURL: String
    private let secret: String
    private let localNodeID: String
    private let attempts: Int
    private let session: CurlSession

    /// libcurl's version text, for `boxoffice --version`.
    public static var libcurlVersion: String { CurlSession.version }

    /// - Parameters:
    ///   - baseURL: the peer, e.g. `https://venue-b.example:8443`.
    ///   - localNodeID: sent as `X-Boxoffice-Node`, so a peer with a peer list can check it.
    ///   - trust: how an HTTPS peer is verified.
    ///   - attempts: tries per request before the peer counts as unreachable.
    public init(
        baseURL: String,
        secret: String,
        localNodeID: String,
        trust: PeerTrust = PeerTrust(),
        attempts: Int = 4,
        connectTimeoutMillis: Int = 2_000
    ) {
        var url = baseURL
        while url.hasSuffix("/") { url.removeLast() }
        self.baseURL = url
        self.secret = secret
        self.localNodeID = localNodeID
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

    public func apply(_ versions: [Document], checkpoint: Checkpoint?) async throws -> ApplyResult {
        try decode(ApplyResult.self, try await request("/sync/versions", body: SyncWire.encode(versions, checkpoint: checkpoint)))
    }

    /// Asks the peer for some of its unsold seats of an escrow event (automatic rebalancing).
    public func requestSeats(_ request: SeatRequest) async throws -> SeatGrant {
        let body = try JSONEncoder().encode(request)
        return try decode(SeatGrant.self, try await self.request("/sync/seat-requests", body: Array(body)))
    }

    private func decode<T: Decodable>(_ type: T.Type, _ body: [UInt8]) throws -> T {
        do { return try JSONDecoder().decode(type, from: Data(body)) } catch { throw SyncError.badResponse("\(error)") }
    }

    private func request(_ path: String, body: [UInt8]? = nil) async throws -> [UInt8] {
        let url = baseURL + path
        var headers = ["Authorization: Bearer \(secret)", "X-Boxoffice-Node: \(localNodeID)", "Accept: application/json"]
        if body != nil { headers.append("Content-Type: application/json") }
        var delay = 0.1
        for attempt in 1...attempts {
            let failure: SyncError
            do {
                let reply = try await session.perform(url: url, headers: headers, body: body)
                switch reply.status {
                case 200..<300: return reply.body
                case 401: throw SyncError.unauthorized(url: baseURL)
                case 403: throw SyncError.forbidden(url: baseURL)
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
        if let problem = try? JSONDecoder().decode([String: JSONScalar].self, from: Data(body)), case let .text(detail)? = problem["detail"] {
            return detail
        }
        return String(decoding: body.prefix(200), as: UTF8.self)
    }

    private enum JSONScalar: Decodable {
        case text(String)
        case other

        init(from decoder: any Decoder) throws {
            self = (try? decoder.singleValueContainer().decode(String.self)).map(JSONScalar.text) ?? .other
        }
    }
}
