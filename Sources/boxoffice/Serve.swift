import ArgumentParser
import BoxofficeStore
import Foundation
import Logging

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a node on a data directory until SIGINT or SIGTERM.",
        discussion: """
            Opens the store (recovering it after a crash), prints the node id and its URL, and \
            closes the store cleanly on SIGINT or SIGTERM. The first start fixes the node id of \
            the directory in boxoffice.json.
            """
    )

    @OptionGroup var options: DataOptions

    @Option(name: .customLong("node-id"), help: ArgumentHelp("This node's id (first start only; default: generated).", valueName: "id"))
    var nodeID: String?

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on.")
    var port = 8080

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535") }
    }

    func run() async throws {
        options.bootstrapLogging()
        let logger = Logger(label: "boxoffice")
        let store = try DocumentStore.open(DataDirectory(options.data), nodeID: nodeID, logger: logger)
        let recovery = store.recovery
        logger.info(
            "store open",
            metadata: [
                "documents": "\(recovery.documents)", "seq": "\(recovery.lastSeq)",
                "seconds": "\(String(format: "%.3f", recovery.seconds))", "damage": "\(recovery.damage.count)",
            ])
        print("boxoffice node \(store.nodeID) on \(options.data) at http://\(host):\(port)")
        fflush(nil)  // a supervisor or test reading a pipe sees the line now
        Task {
            let audit = await store.auditFiles()
            if !audit.rebuilt.isEmpty || audit.missing > 0 {
                logger.warning("document files rebuilt", metadata: ["rebuilt": "\(audit.rebuilt.count)", "missing": "\(audit.missing)"])
            }
        }
        let signal = await ShutdownSignal.wait()
        logger.info("shutting down", metadata: ["signal": "\(signal)"])
        await store.close()
    }
}
