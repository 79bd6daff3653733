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

    /// Opens the database store; nil without a URL. With `create`, a database that is no node yet
    /// becomes node `nodeID` (with a new key and configuration unless given); without, it is an
    /// error, so a command meant for an existing hub never makes a new one.
    /// - Throws: `ValidationError` when `--data` is given too: two stores, one command.
    func open(
        nodeID: String?,
        newNodeKey: String? = nil,
        newConfiguration: NodeConfiguration? = nil,
        create: Bool,
        importing: Bool = false,
        options: StoreOptions,
        logger: Logger
    ) async throws -> PostgresStore? {
        guard let given else { return nil }
        if CommandLine.arguments.contains(where: { $0 == "--data" || $0.hasPrefix("--data=") }) {
            throw ValidationError("--data and --store (or BOXOFFICE_STORE) name two stores: give one of them")
        }
        return try await PostgresStore.open(
            given,
            nodeID: nodeID,
            newNodeKey: newNodeKey ?? NodeKey.generate(nodeID: nodeID ?? "").encodedPrivateKey,
            newConfiguration: newConfiguration,
            create: create,
            importing: importing,
            options: options,
            logger: logger
        )
    }
}
