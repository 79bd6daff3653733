import ArgumentParser
import BoxofficeStore
import BoxofficeSync
import BoxofficeVenue
import Foundation
import Logging

struct Sync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Sync this node with a peer once: pull its changes, push ours.",
        discussion: """
            Runs against the data directory directly when the node is stopped, or through the \
            running node's own API when it is serving (it never touches the files of a running \
            node). Shows progress, then a summary. Interrupted syncs resume where they stopped.
            """
    )

    @Argument(help: ArgumentHelp("The peer's URL, e.g. https://venue-b.example:8443.", valueName: "peer-url"))
    var peerURL: String

    @OptionGroup var options: DataOptions

    @Flag(help: "Only pull the peer's changes.")
    var pullOnly = false

    @Flag(help: "Only push this node's changes.")
    var pushOnly = false

    @Flag(
        help:
            "Send and fetch everything from the beginning, whatever the checkpoints say: run it once against each peer after restoring this node from a backup."
    )
    var fromStart = false

    @OptionGroup var secretOptions: SecretOptions

    @OptionGroup var trustOptions: PeerTrustOptions

    func validate() throws {
        guard !(pullOnly && pushOnly) else { throw ValidationError("--pull-only and --push-only exclude each other") }
        guard peerURL.hasPrefix("http://") || peerURL.hasPrefix("https://") else {
            throw ValidationError("the peer URL must start with http:// or https://")
        }
    }

    func run() async throws {
        options.bootstrapLogging()
        let (local, store, secret) = try openLocalSide()
        if let store { try await LocalNode.pullAgainIfVersionsWereLost(store, logger: Logger(label: "boxoffice")) }
        let localID = try await local.info().nodeId
        if let risk = PeerTrust.risk(of: peerURL) { FileHandle.standardError.write(Data("warning: \(risk)\n".utf8)) }
        let remote = PeerClient(baseURL: peerURL, secret: secret, localNodeID: localID, trust: trustOptions.trust)
        let terminal = isatty(STDOUT_FILENO) != 0
        let summary: Synchronizer.Summary
        do {
            var synchronizer = Synchronizer(local: local, remote: remote)
            synchronizer.fromStart = fromStart
            summary = try await synchronizer.run(pull: !pushOnly, push: !pullOnly) { progress in
                Self.show(progress, onTerminal: terminal)
            }
        } catch {
            await store?.close()
            throw error
        }
        if terminal { print("") }
        await store?.close()
        print(
            "synced with \(peerURL): pulled \(summary.pulled), pushed \(summary.pushed), conflicts \(summary.conflicts), "
                + "\(summary.batches) batches in \(String(format: "%.3f", summary.seconds)) s"
        )
    }

    /// This node's side: its store when the node is stopped, else the running node's API.
    private func openLocalSide() throws -> (any SyncEndpoint, DocumentStore?, String) {
        let directory = DataDirectory(options.data)
        do {
            let store = try DocumentStore.open(directory, options: options.storeOptions)
            do {
                return (VenueRules.localNode(store), store, try secretOptions.resolve(store.configuration))
            } catch {
                Task { await store.close() }
                throw error
            }
        } catch StoreError.locked {
            let configuration = try NodeConfiguration.read(in: directory)
            let secret = try secretOptions.resolve(configuration)
            let (url, trust) = try options.runningNode()
            return (PeerClient(baseURL: url, secret: secret, localNodeID: configuration.nodeID, trust: trust), nil, secret)
        }
    }

    /// A bar on a terminal, one line per batch otherwise.
    private static func show(_ progress: Synchronizer.Progress, onTerminal: Bool) {
        let rate = progress.seconds > 0 ? Double(progress.versions) / progress.seconds : 0
        let line = "\(progress.direction.rawValue): \(progress.versions) versions, \(progress.batches) batches, \(Int(rate)) versions/s"
        if onTerminal {
            let fraction = progress.end > 0 ? min(1, Double(progress.position) / Double(progress.end)) : 1
            let filled = Int(fraction * 30)
            print("\r[\(String(repeating: "#", count: filled))\(String(repeating: ".", count: 30 - filled))] \(line)   ", terminator: "")
        } else {
            print(line)
        }
        fflush(nil)
    }
}
