import ArgumentParser

struct TLSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tls",
        abstract: "The node's TLS certificate, for HTTPS between venues and to tablets.",
        subcommands: [TLSInit.self]
    )
}
