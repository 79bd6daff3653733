import ArgumentParser
import BoxofficeStore
import Logging

struct ClusterRotateSecret: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-secret",
        abstract: "Make a new cluster secret for this node and print it, for the other nodes.",
        discussion: """
            Stores a new random secret in boxoffice.json (or, with --store, in the hub's \
            database). Restart this node (every process of a hub), then start every \
            other node once with --secret set to the printed value (it is stored there too). \
            Enrolled nodes go on syncing with their keys, and access tokens stay good (node keys \
            sign them); only nodes that enroll from now on need the new secret.
            """
    )

    @OptionGroup var options: DataOptions

    @OptionGroup var database: DatabaseOption

    func run() async throws {
        let secret = NodeConfiguration.newSecret()
        if let store = try await database.open(nodeID: nil, create: false, options: options.storeOptions, logger: Logger(label: "boxoffice")) {
            do {
                _ = try await store.storeSecret(secret)
                await store.close()
            } catch {
                await store.close()
                throw error
            }
        } else {
            _ = try NodeConfiguration.storeSecret(secret, in: try options.existingDirectory())
        }
        print(secret)
    }
}
