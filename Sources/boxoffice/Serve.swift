import ArgumentParser
import BoxofficeCore
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
            every node of a cluster needs the same one.
            """
    )

    @OptionGroup var options: DataOptions

    @Option(name: .customLong("node-id"), help: ArgumentHelp("This node's id (first start only; default: generated).", valueName: "id"))
    var nodeID: String?

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on; 0 picks a free one.")
    var port = 8080

    @OptionGroup var secretOptions: SecretOptions

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
        guard idleTimeout > 0, headTimeout > 0 else { throw ValidationError("--idle-timeout and --head-timeout must be positive") }
        if let maxConnections, maxConnections < 1 { throw ValidationError("--max-connections must be at least 1") }
        for peer in peers where !(peer.hasPrefix("http://") || peer.hasPrefix("https://")) {
            throw ValidationError("--peer \(peer): a peer URL starts with http:// or https://")
        }
    }

    func run() async throws {
        options.bootstrapLogging()
        let logger = Logger(label: "boxoffice")
        let store = try DocumentStore.open(DataDirectory(options.data), nodeID: nodeID, options: options.storeOptions, logger: logger)
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
            // The application's services audit the files, sync with the peers and close the store.
            try await buildApplication(store: store, configuration: configuration(for: store, logger: logger), logger: logger).runService()
        } catch {
            await store.close()  // already closed when the services ran; closing twice is nothing
            throw error
        }
        try? FileManager.default.removeItem(atPath: store.directory.listening)
        logger.info("shutting down: store closed")
    }

    /// The server's configuration from the options and the directory's `boxoffice.json`.
    private func configuration(for store: DocumentStore, logger: Logger) throws -> ServerConfiguration {
        let (clusterSecret, fromFile) = try secretOptions.resolve(store.configuration)
        if fromFile { logger.notice("using the cluster secret from \(store.directory.configuration); peers need the same one") }
        var configuration = ServerConfiguration(secret: clusterSecret)
        configuration.host = host
        configuration.port = port
        configuration.allowedPeers = Set(allowedPeers)
        // A value in boxoffice.json a request would trip on stops the start, named.
        configuration.timeZone = try store.configuration.venueTimeZone()
        configuration.eventDefaults = try store.configuration.checkedEventDefaults()
        configuration.peers = Array(Set(peers + (store.configuration.peers ?? []))).sorted()
        configuration.syncInterval = .seconds(syncInterval)
        configuration.connections.idleTimeout = .seconds(idleTimeout)
        configuration.connections.headTimeout = .seconds(headTimeout)
        // Invariant: the cap leaves descriptors for the store, the peers and the cap's own accepts.
        let descriptors = FileDescriptorLimit.raiseToHard()
        configuration.connections.maxConnections = maxConnections ?? min(configuration.connections.maxConnections, max(64, descriptors - 256))
        let (nodeID, data, host) = (store.nodeID, options.data, host)
        let listening = store.directory.listening
        configuration.onListening = { port in
            try? "http://\(host):\(port)\n".write(toFile: listening, atomically: true, encoding: .utf8)
            print("boxoffice node \(nodeID) on \(data) at http://\(host):\(port)")
            fflush(nil)  // a supervisor or test reading a pipe sees the line now
        }
        return configuration
    }
}
