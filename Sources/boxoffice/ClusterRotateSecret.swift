import ArgumentParser
import BoxofficeStore

struct ClusterRotateSecret: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-secret",
        abstract: "Make a new cluster secret for this node and print it, for the other nodes.",
        discussion: """
            Stores a new random secret in boxoffice.json. Restart this node, then start every \
            other node once with --secret set to the printed value (it is stored there too). \
            Enrolled nodes go on syncing with their keys, and access tokens stay good (node keys \
            sign them); only nodes that enroll from now on need the new secret.
            """
    )

    @OptionGroup var options: DataOptions

    func run() async throws {
        let directory = try options.existingDirectory()
        let secret = NodeConfiguration.newSecret()
        _ = try NodeConfiguration.storeSecret(secret, in: directory)
        print(secret)
    }
}
