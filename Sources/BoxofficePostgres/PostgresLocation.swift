import BoxofficeStore
import Foundation
import Logging
import NIOSSL
import PostgresNIO

/// Where a PostgreSQL store lives, from its URL
/// (`postgresql://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=…`).
///
/// TLS is required unless the server is on this machine (a loopback address or a Unix socket):
/// a password and every document would otherwise cross the network in clear. With TLS the
/// server's certificate is always verified against the system's CAs and its name (libpq's
/// `verify-full`, even for `sslmode=require`); `sslrootcert=PATH` trusts a private CA instead,
/// `sslmode=prefer` makes TLS optional, `sslmode=disable` turns it off.
struct PostgresLocation: Sendable {
    let configuration: PostgresClient.Configuration
    /// The same server and credentials for one connection of its own (`probe`).
    let single: PostgresConnection.Configuration
    /// The URL without its password, for logs and `/node`.
    let description: String

    init(_ url: String) throws(StoreError) {
        guard let components = URLComponents(string: url), ["postgresql", "postgres"].contains(components.scheme ?? "") else {
            throw .invalidStoreURL("\(Self.redacted(url)) is no store URL: write postgresql://USER:PASSWORD@HOST:5432/DATABASE")
        }
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        let user = components.percentEncodedUser.flatMap { $0.removingPercentEncoding } ?? "postgres"
        let password = components.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
        let database = String(components.path.drop { $0 == "/" })
        let socketDirectory = query["host"].flatMap { $0.hasPrefix("/") ? $0 : nil }
        let host = components.host.flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1"
        let port = components.port ?? 5432
        let local = socketDirectory != nil || ["::1", "localhost"].contains(host) || Self.isLoopbackIPv4(host)

        var configuration: PostgresClient.Configuration
        let name = database.isEmpty ? nil : database
        if let socketDirectory {
            let path = socketDirectory + "/.s.PGSQL.\(port)"
            configuration = .init(unixSocketPath: path, username: user, password: password, database: name)
            single = .init(unixSocketPath: path, username: user, password: password, database: name)
        } else {
            let mode = query["sslmode"] ?? (local ? "disable" : "require")
            let tls = try Self.tls(mode: mode, rootCertificate: query["sslrootcert"])
            configuration = .init(host: host, port: port, username: user, password: password, database: name, tls: tls.pool)
            single = .init(host: host, port: port, username: user, password: password, database: name, tls: tls.single)
        }
        configuration.options.connectTimeout = .seconds(10)
        // A process that dies or hangs inside a transaction must not hold the node's writer lock
        // for long: the server ends such a session and the other processes go on.
        // A commit is on the server's disk before the client hears of it, whatever the server's
        // default: the feed lists only durable versions (sync-spec.md, section 4.1).
        // Waits are bounded by the server, which answers an error the node turns into 503: a
        // writer waits at most 10 s for the node's lock, a statement runs at most 30 s, and a
        // session idle inside a transaction (a hung or dead process) is ended after 30 s.
        configuration.options.additionalStartupParameters = [
            ("synchronous_commit", "on"), ("lock_timeout", "10s"), ("statement_timeout", "30s"), ("idle_in_transaction_session_timeout", "30s"),
        ]
        configuration.options.maximumConnections = 16
        self.configuration = configuration
        let place = socketDirectory.map { "\($0):\(port)" } ?? "\(host.contains(":") ? "[\(host)]" : host):\(port)"
        self.description = "postgresql://\(user)@\(place)/\(database)"
    }

    private static func tls(
        mode: String,
        rootCertificate: String?
    ) throws(StoreError) -> (pool: PostgresClient.Configuration.TLS, single: PostgresConnection.Configuration.TLS) {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let rootCertificate { tls.trustRoots = .file(rootCertificate) }
        if mode == "disable" { return (.disable, .disable) }
        let context: NIOSSLContext
        do { context = try NIOSSLContext(configuration: tls) } catch { throw .invalidStoreURL("sslrootcert=\(rootCertificate ?? ""): \(error)") }
        switch mode {
        case "prefer", "allow": return (.prefer(tls), .prefer(context))
        case "require", "verify-ca", "verify-full": return (.require(tls), .require(context))
        default: throw .invalidStoreURL("sslmode=\(mode): use disable, prefer or require")
        }
    }

    /// Opens one connection and closes it: a server that is down or refuses the credentials is
    /// reported at once, in PostgreSQL's words, where the pool would go on retrying.
    func probe(logger: Logger) async throws {
        try await PostgresFailure.wrap {
            let connection = try await PostgresConnection.connect(configuration: single, id: 0, logger: logger)
            try await connection.close()
        }
    }

    /// The URL with its password blanked out; a URL too broken to parse loses everything
    /// between `://` and its last `@`, where a password would be.
    static func redacted(_ url: String) -> String {
        if var components = URLComponents(string: url) {
            guard components.password != nil else { return url }
            components.password = "***"
            if let text = components.string { return text }
        }
        guard let scheme = url.range(of: "://"), let at = url.range(of: "@", options: .backwards), scheme.upperBound <= at.lowerBound else {
            return url.contains("@") ? "(a URL that cannot be read)" : url
        }
        return String(url[..<scheme.upperBound]) + "***" + String(url[at.lowerBound...])
    }

    /// Whether `host` is an IPv4 address in 127.0.0.0/8 (a name is not, whatever it starts with).
    private static func isLoopbackIPv4(_ host: String) -> Bool {
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }
}
