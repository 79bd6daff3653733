import ArgumentParser
import BoxofficeStore
import BoxofficeSync
import BoxofficeVenue
import Foundation
import Logging

@main
struct Boxoffice: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "boxoffice",
        abstract: "An offline-first ticketing node: documents on disk, a local API, sync with peer venues.",
        discussion: """
            A node keeps users, events, tickets and notifications as versioned JSON documents in \
            its data directory (default: data/node) and keeps working with no internet.
            """,
        version: "\(boxofficeVersion) (\(PeerClient.libcurlVersion))",
        subcommands: [
            Serve.self, Sync.self, Conflicts.self, UserCommand.self, StoreCommand.self, TLSCommand.self, NodeCommand.self, ClusterCommand.self,
        ]
    )
}

/// The options every command that opens a data directory takes.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The node's data directory.", valueName: "dir"))
    var data = "data/node"

    @Flag(name: .long, help: "Log debug detail.")
    var verbose = false

    /// The store as a node runs it, with the venue's lookups.
    var storeOptions: StoreOptions {
        var options = StoreOptions()
        options.indexes = VenueIndexes.all
        options.indexRevision = VenueIndexes.revision
        return options
    }

    /// The data directory of an existing node, for commands that only look at one (`store check`,
    /// `store compact`, `conflicts`): a mistyped path must not become a new, empty, healthy node.
    func existingDirectory() throws -> DataDirectory {
        let directory = DataDirectory(data)
        guard FileManager.default.fileExists(atPath: directory.configuration) else {
            throw ValidationError("no Boxoffice node at \(data) (no \(directory.configuration)); check --data")
        }
        return directory
    }

    func bootstrapLogging() {
        let level: Logger.Level = verbose ? .debug : .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
