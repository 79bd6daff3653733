import ArgumentParser
import BoxofficeCore
import BoxofficeStore
import BoxofficeSync
import BoxofficeVenue
import Foundation
import Logging

struct NodeRevoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Shut a node out of the cluster for good (a stolen laptop, a retired box office).",
        discussion: """
            Writes the decision at the node of --data (stopped, or running: then through its API, \
            signed with its own key) or of --store (a hub, running or not); it reaches every node \
            by sync, and each refuses the revoked node's requests from then on. Change the cluster \
            secret on the nodes that remain.
            """
    )

    @Argument(help: ArgumentHelp("The node id to revoke.", valueName: "node-id"))
    var nodeID: String

    @OptionGroup var options: DataOptions

    @OptionGroup var database: DatabaseOption

    @Option(help: "Why, for the roster.")
    var note: String?

    func run() async throws {
        options.bootstrapLogging()
        if let store = try await database.open(nodeID: nil, create: false, options: options.storeOptions, logger: Logger(label: "boxoffice")) {
            try await revoke(in: store)
        } else {
            let directory = try options.existingDirectory()
            do {
                try await revoke(in: try DocumentStore.open(directory, options: options.storeOptions))
            } catch StoreError.locked {
                try await options.runningNodeClient(try NodeConfiguration.read(in: directory)).revoke(nodeID, note: note)
            }
        }
        print("revoked node \(nodeID); every node refuses it once it has synced the decision")
    }

    /// Writes the decision in `store`, then closes it.
    private func revoke(in store: any VersionedStore) async throws {
        do {
            _ = try await NodeRoster(store: store, now: { Date() }).revoke(nodeID, by: "operator@\(store.nodeID)", note: note)
            await store.close()
        } catch {
            await store.close()
            throw error
        }
    }
}
