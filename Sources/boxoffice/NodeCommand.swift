import ArgumentParser

struct NodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node",
        abstract: "The cluster's nodes as this one knows them.",
        subcommands: [NodeRevoke.self]
    )
}
