import ArgumentParser
import BoxofficeServer
import BoxofficeStore
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

    @Option(help: ArgumentHelp("The cluster secret (default: BOXOFFICE_SECRET, else boxoffice.json).", valueName: "secret"))
    var secret: String?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
    }

    func run() async throws {
        options.bootstrapLogging()
        let logger = Logger(label: "boxoffice")
        let store = try DocumentStore.open(DataDirectory(options.data), nodeID: nodeID, options: options.storeOptions, logger: logger)
        let recovery = store.recovery
        logger.info(
            "store open",
            metadata: [
                "documents": "\(recovery.documents)", "seq": "\(recovery.lastSeq)",
                "seconds": "\(String(format: "%.3f", recovery.seconds))", "damage": "\(recovery.damage.count)",
            ])
        Task {
            let audit = await store.auditFiles()
            if !audit.rebuilt.isEmpty || audit.missing > 0 {
                logger.warning("document files rebuilt", metadata: ["rebuilt": "\(audit.rebuilt.count)", "missing": "\(audit.missing)"])
            }
        }

        var configuration = ServerConfiguration(secret: try clusterSecret(store, logger: logger))
        configuration.host = host
        configuration.port = port
        let (nodeID, data, host) = (store.nodeID, options.data, host)
        let listening = store.directory.listening
        configuration.onListening = { port in
            try? "http://\(host):\(port)\n".write(toFile: listening, atomically: true, encoding: .utf8)
            print("boxoffice node \(nodeID) on \(data) at http://\(host):\(port)")
            fflush(nil)  // a supervisor or test reading a pipe sees the line now
        }
        do {
            try await buildApplication(store: store, configuration: configuration, logger: logger).runService()
        } catch {
            try? FileManager.default.removeItem(atPath: listening)
            await store.close()
            throw error
        }
        try? FileManager.default.removeItem(atPath: listening)
        await store.close()
        logger.info("shutting down: store closed")
    }

    private func clusterSecret(_ store: DocumentStore, logger: Logger) throws -> String {
        if let secret { return secret }
        if let secret = ProcessInfo.processInfo.environment["BOXOFFICE_SECRET"], !secret.isEmpty { return secret }
        guard let secret = store.configuration.secret else { throw ValidationError("no cluster secret: pass --secret") }
        logger.notice("using the cluster secret from \(store.directory.configuration); peers need the same one")
        return secret
    }
}
