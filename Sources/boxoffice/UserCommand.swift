import ArgumentParser

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage accounts while the node is stopped.",
        subcommands: [UserAdd.self]
    )
}
