import ArgumentParser

struct ClusterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "What every node of a cluster shares.",
        subcommands: [ClusterRotateSecret.self]
    )
}
