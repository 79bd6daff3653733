public import ArgumentParser
public import BoxofficeCore
import BoxofficeStore
import BoxofficeVenue
import Logging

struct UserAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Create an account, such as the first organizer.",
        discussion: "Staff and organizers are made this way; attendees register themselves through the API."
    )

    @OptionGroup var options: DataOptions

    @OptionGroup var database: DatabaseOption

    @Option(
        name: .customLong("node-id"),
        help: ArgumentHelp("The node's id, when this makes its data directory (as serve --node-id; default: generated).", valueName: "id")
    )
    var nodeID: String?

    @Option(help: "The email to sign in with.")
    var email: String

    @Option(help: "The person's name.")
    var name: String

    @Option(help: "The password (at least 8 characters, at most 72 bytes in UTF-8).")
    var password: String

    @Option(help: ArgumentHelp("attendee, staff or organizer.", valueName: "role"))
    var role: Role = .attendee

    func run() async throws {
        options.bootstrapLogging()
        let store: any VersionedStore =
            try await database.open(nodeID: nodeID, create: true, options: options.storeOptions, logger: Logger(label: "boxoffice"))
            ?? DocumentStore.open(DataDirectory(options.data), nodeID: nodeID, options: options.storeOptions)
        do {
            let id = try await addUser(to: store, name: name, email: email, password: password, role: role)
            await store.close()
            print("added \(role.rawValue) \(email) as user \(id) on node \(store.nodeID)")
        } catch {
            await store.close()
            throw error
        }
    }
}

extension Role: ExpressibleByArgument {}
