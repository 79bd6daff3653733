import ArgumentParser
import BoxofficeStore
import BoxofficeSync
import Logging

struct StoreCompact: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compact",
        abstract: "Write a snapshot and remove the journal segments it covers.",
        discussion: "A running node compacts by itself as its journal grows; this does it now, for a stopped node."
    )

    @OptionGroup var options: DataOptions

    func run() async throws {
        options.bootstrapLogging()
        let store = try DocumentStore.open(options.existingDirectory(), options: options.storeOptions)
        // Invariant: the snapshot drops the damaged frame, so the peers must be asked again first.
        try await LocalNode.pullAgainIfVersionsWereLost(store, logger: Logger(label: "boxoffice"))
        let bytes = try await store.compact() ?? 0
        let statistics = await store.statistics()
        await store.close()
        print("snapshot of \(statistics.documents) documents up to sequence \(statistics.lastSeq): \(bytes) bytes")
    }
}
