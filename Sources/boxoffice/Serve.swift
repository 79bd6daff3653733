import ArgumentParser
import BoxofficeCore
import BoxofficePostgres
import BoxofficeServer
import BoxofficeStore
import BoxofficeSync
import BoxofficeVenue
import Foundation
import Logging

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a node: the venue API on a data directory, until SIGINT or SIGTERM.",
        discussion: """
            Opens the store (recovering it after a crash), serves the API and prints the node's \
            URL; SIGINT or SIGTERM finish the requests in flight and close the store cleanly. The \
            first start fixes the node id of the directory and generates a cluster secret in \
            boxoffice.json. The secret comes from --secret, else BOXOFFICE_SECRET, else that file; \
            a given one is stored in the file, so sync and conflicts on this directory use it too. \
            Every node of a cluster needs the same one. With a certificate (boxoffice tls init, \
            or --tls-cert and --tls-key) the node serves HTTPS only; peers are verified by the \
            system's CAs, --ca and --pin.
            """
    )

    @OptionGroup var options: DataOptions

    @OptionGroup var database: DatabaseOption

    @Option(name: .customLong("node-id"), help: ArgumentHelp("This node's id (first start only; default: generated).", valueName: "id"))
    var nodeID: String?

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on; 0 picks a free one.")
    var port = 8080

    @OptionGroup var secretOptions: SecretOptions

    @Option(
        name: .customLong("tls-cert"),
        help: ArgumentHelp(
            "Serve HTTPS with this PEM certificate chain (default: tls/certificate.pem in the data directory, if there).",
            valueName: "pem"
        )
    )
    var tlsCertificate: String?

    @Option(name: .customLong("tls-key"), help: ArgumentHelp("The PEM private key of --tls-cert.", valueName: "pem"))
    var tlsKey: String?

    @OptionGroup var trustOptions: PeerTrustOptions

    @Option(
        name: .customLong("peer"),
        help: ArgumentHelp("A peer to sync with continuously (repeatable; also 'peers' in boxoffice.json).", valueName: "url")
    )
    var peers: [String] = []

    @Option(
        name: .customLong("allow-peer"),
        help: ArgumentHelp("Accept sync only from these node ids (repeatable; default: any node with the secret).", valueName: "id")
    )
    var allowedPeers: [String] = []

    @Option(help: "Seconds between syncs with each peer.")
    var syncInterval = 2.0

    @Option(
        help:
            "Seconds without demand after which this node gives unsold escrow seats back the way they came (to the event's home, or to the peer that gave them)."
    )
    var seatIdleAfter = 30.0

    @Option(
        help:
            "Seconds without word from a node that syncs with this one after which it counts as offline: its unsold seats show as stranded, and an organizer may reclaim them."
    )
    var offlineAfter = 60.0

    @Option(help: "Seconds a kept-alive connection may stay idle before it is closed.")
    var idleTimeout = 60.0

    @Option(help: "Seconds a new connection has to send a whole request head.")
    var headTimeout = 10.0

    @Option(
        help: ArgumentHelp(
            "Open connections at most; past it the one idle longest is closed (default: 10000, or less to fit the file-descriptor limit).",
            valueName: "count"
        )
    )
    var maxConnections: Int?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard syncInterval > 0 else { throw ValidationError("--sync-interval must be positive") }
        guard seatIdleAfter > 0, offlineAfter > 0 else { throw ValidationError("--seat-idle-after and --offline-after must be positive") }
        guard idleTimeout > 0, headTimeout > 0 else { throw ValidationError("--idle-timeout and --head-timeout must be positive") }
        if let maxConnections, maxConnections < 1 { throw ValidationError("--max-connections must be at least 1") }
        guard (tlsCertificate == nil) == (tlsKey == nil) else { throw ValidationError("--tls-cert and --tls-key go together") }
        for peer in peers where !(peer.hasPrefix("http://") || peer.hasPrefix("https://")) {
            throw ValidationError("--peer \(peer): a peer URL starts with http:// or https://")
        }
    }

    func run() async throws {
        options.bootstrapLogging()
        let logger = Logger(label: "boxoffice")
        if let store = try await database.open(nodeID: nodeID, create: true, options: options.storeOptions, logger: logger) {
            try await serve(onDatabase: store, logger: logger)
            return
        }
        let store = try DocumentStore.open(DataDirectory(options.data), nodeID: nodeID, options: options.storeOptions, logger: logger)
        let key: NodeKey
        do {
            let recovery = store.recovery
            logger.info(
                "store open",
                metadata: [
                    "documents": "\(recovery.documents)", "seq": "\(recovery.lastSeq)",
                    "seconds": "\(String(format: "%.3f", recovery.seconds))", "damage": "\(recovery.damage.count)",
                ]
            )
            try await LocalNode.pullAgainIfVersionsWereLost(store, logger: logger)
            // The node's own commands on its directory (sync, conflicts) then use the secret it serves with.
            if let given = secretOptions.given, try NodeConfiguration.storeSecret(given, in: store.directory) {
                logger.notice("stored the given cluster secret in \(store.directory.configuration), replacing the one there")
            } else if secretOptions.given == nil {
                logger.notice("using the cluster secret from \(store.directory.configuration); peers need the same one")
            }
            // The node's own key, made at its first start: it signs the node's sync requests.
            key = try NodeKey.loadOrCreate(in: store.directory, nodeID: store.nodeID)
        } catch {
            await store.close()
            throw error
        }
        try await serve(store, key: key, directory: store.directory, logger: logger)
        try? FileManager.default.removeItem(atPath: store.directory.listening)
        logger.info("shutting down: store closed")
    }

    /// Serves a node kept in PostgreSQL: its secret and key are the database's, shared by every
    /// process that serves it.
    private func serve(onDatabase store: PostgresStore, logger: Logger) async throws {
        let key: NodeKey
        do {
            logger.info("store open", metadata: ["store": "\(store.location)", "node": "\(store.nodeID)"])
            if let given = secretOptions.given, try await store.storeSecret(given) {
                logger.notice("stored the given cluster secret in the database, replacing the one there")
            }
            key = try NodeKey(nodeID: store.nodeID, encodedPrivateKey: store.encodedNodeKey, source: "the database's boxoffice_node row")
        } catch {
            await store.close()
            throw error
        }
        try await serve(store, key: key, directory: nil, logger: logger)
        logger.info("shutting down: database connections closed")
    }

    /// Runs the application until a signal; the application's services close the store.
    private func serve(_ store: any VersionedStore, key: NodeKey, directory: DataDirectory?, logger: Logger) async throws {
        do {
            let configuration = try configuration(for: store, key: key, directory: directory, logger: logger)
            try await buildApplication(store: store, configuration: configuration, logger: logger).runService()
        } catch {
            await store.close()  // already closed when the services ran; closing twice is nothing
            throw error
        }
    }

    /// The server's configuration from the options and the store's configuration.
    private func configuration(for store: any VersionedStore, key: NodeKey, directory: DataDirectory?, logger: Logger) throws -> ServerConfiguration {
        var configuration = ServerConfiguration(secret: try secretOptions.resolve(store.configuration), nodeKey: key)
        configuration.host = host
        configuration.port = port
        configuration.allowedPeers = Set(allowedPeers)
        // A value in the configuration a request would trip on stops the start, named.
        configuration.timeZone = try store.configuration.venueTimeZone()
        configuration.eventDefaults = try store.configuration.checkedEventDefaults()
        configuration.peers = Array(Set(peers + (store.configuration.peers ?? []))).sorted()
        configuration.syncInterval = .seconds(syncInterval)
        configuration.seatIdleAfter = seatIdleAfter
        configuration.peerContacts = PeerContacts(offlineAfter: offlineAfter)
        configuration.peerTrust = trustOptions.trust
        for peer in configuration.peers { if let risk = PeerTrust.risk(of: peer) { logger.warning("\(risk)") } }
        configuration.tls = try tls(in: directory)
        let pin = configuration.tls?.pin
        if configuration.tls == nil, !PeerTrust.isLoopback(host) {
            let remedy = directory.map { "run boxoffice tls init --data \($0.path) and restart" } ?? "restart with --tls-cert and --tls-key"
            logger.warning(
                "serving plain HTTP on \(host): passwords, access tokens and the cluster secret cross the network readable by anyone on it; \(remedy)"
            )
        }
        configuration.connections.idleTimeout = .seconds(idleTimeout)
        configuration.connections.headTimeout = .seconds(headTimeout)
        // Invariant: the cap leaves descriptors for the store, the peers and the cap's own accepts.
        let descriptors = FileDescriptorLimit.raiseToHard()
        configuration.connections.maxConnections = maxConnections ?? min(configuration.connections.maxConnections, max(64, descriptors - 256))
        let (nodeID, location, scheme) = (store.nodeID, store.location, configuration.tls == nil ? "http" : "https")
        let address = host.contains(":") ? "[\(host)]" : host
        let listening = directory?.listening
        configuration.onListening = { port in
            // Local tools (sync, conflicts on this directory) reach the node here and trust its pin.
            if let listening {
                try? "\(scheme)://\(address):\(port)\n\(pin.map { $0 + "\n" } ?? "")".write(toFile: listening, atomically: true, encoding: .utf8)
            }
            print("boxoffice node \(nodeID) on \(location) at \(scheme)://\(address):\(port)")
            if let pin { print("certificate pin \(pin)") }
            fflush(nil)  // a supervisor or test reading a pipe sees the line now
        }
        return configuration
    }

    /// The certificate and key to serve HTTPS with: the options', else the data directory's.
    private func tls(in directory: DataDirectory?) throws -> ServerTLS? {
        if let tlsCertificate, let tlsKey { return try ServerTLS(certificatePath: tlsCertificate, keyPath: tlsKey) }
        guard let directory, FileManager.default.fileExists(atPath: directory.tlsCertificate) else { return nil }
        return try ServerTLS(certificatePath: directory.tlsCertificate, keyPath: directory.tlsKey)
    }
}
