import ArgumentParser
import BoxofficePostgres
import BoxofficeStore
import BoxofficeSync
import Foundation
import Logging

/// `--store`: the node's documents in PostgreSQL instead of a data directory (a hub served by
/// several processes). Also `BOXOFFICE_STORE`, which keeps the password out of the process list.
struct DatabaseOption: ParsableArguments {
    @Option(
        name: .customLong("store"),
        help: ArgumentHelp(
            "Keep the node in PostgreSQL instead of --data: postgresql://USER:PASSWORD@HOST:PORT/DB (default: BOXOFFICE_STORE). Every process on the same database serves the same node.",
            valueName: "url"
        )
    )
    var url: String?

    /// The URL given on the command line or in the environment, if any.
    var given: String? {
        if let url { return url }
        if let url = ProcessInfo.processInfo.environment["BOXOFFICE_STORE"], !url.isEmpty { return url }
        return nil
    }

    /// Opens the database store, claiming it for `nodeID` on first use (with a new key and
    /// configuration unless given); nil without a URL.
    func open(
        nodeID: String?,
        newNodeKey: String? = nil,
        newConfiguration: NodeConfiguration? = nil,
        options: StoreOptions,
        logger: Logger
    ) async throws -> PostgresStore? {
        guard let given else { return nil }
        return try await PostgresStore.open(
            given,
            nodeID: nodeID,
            newNodeKey: newNodeKey ?? NodeKey.generate(nodeID: nodeID ?? "").encodedPrivateKey,
            newConfiguration: newConfiguration,
            options: options,
            logger: logger
        )
    }
}
