import ArgumentParser

struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Inspect and maintain a node's data directory while the node is stopped.",
        subcommands: [StoreCheck.self, StoreCompact.self]
    )
}
