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
        let side = try await openLocalSide()
        if let store = side.store { try await LocalNode.pullAgainIfVersionsWereLost(store, logger: Logger(label: "boxoffice")) }
        if let risk = PeerTrust.risk(of: peerURL) { FileHandle.standardError.write(Data("warning: \(risk)\n".utf8)) }
        let remote = PeerClient(baseURL: peerURL, key: side.key, joining: side.joining, trust: trustOptions.trust)
        let terminal = isatty(STDOUT_FILENO) != 0
        let summary: Synchronizer.Summary
        do {
            var synchronizer = Synchronizer(local: side.endpoint, remote: remote)
            synchronizer.fromStart = fromStart
            summary = try await synchronizer.run(pull: !pushOnly, push: !pullOnly) { progress in
                Self.show(progress, onTerminal: terminal)
            }
        } catch {
            await side.store?.close()
            throw error
        }
        if terminal { print("") }
        await side.store?.close()
        print(
            "synced with \(peerURL): pulled \(summary.pulled), pushed \(summary.pushed), conflicts \(summary.conflicts), "
                + "\(summary.batches) batches in \(String(format: "%.3f", summary.seconds)) s"
        )
    }

    private struct LocalSide {
        let endpoint: any SyncEndpoint
        /// Open when the node is stopped; nil when its running API is the endpoint.
        let store: DocumentStore?
        let key: NodeKey
        let joining: PeerClient.Joining
    }

    /// This node's side: its store when the node is stopped, else the running node's API, which
    /// this command signs for with the node's own key.
    private func openLocalSide() async throws -> LocalSide {
        let directory = DataDirectory(options.data)
        let store: DocumentStore
        do {
            store = try DocumentStore.open(directory, options: options.storeOptions)
        } catch StoreError.locked {
            let configuration = try NodeConfiguration.read(in: directory)
            let own = try options.runningNodeClient(configuration)
            let joining = PeerClient.Joining(secret: try secretOptions.resolve(configuration)) { try await own.nodeRecord() }
            return LocalSide(endpoint: own, store: nil, key: try NodeKey.loadOrCreate(in: directory, nodeID: configuration.nodeID), joining: joining)
        }
        do {
            let key = try NodeKey.loadOrCreate(in: directory, nodeID: store.nodeID)
            try await NodeRoster(store: store, now: { Date() }).declareSelf(key: key, tlsPin: nil, keepPin: true)
            let joining = LocalNode.joining(store, secret: try secretOptions.resolve(store.configuration))
            return LocalSide(endpoint: VenueRules.localNode(store), store: store, key: key, joining: joining)
        } catch {
            await store.close()
            throw error
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
