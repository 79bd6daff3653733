import ArgumentParser

struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Inspect and maintain a node's store; move a node to another store.",
        subcommands: [StoreCheck.self, StoreCompact.self, StoreExport.self, StoreImport.self]
    )
}
