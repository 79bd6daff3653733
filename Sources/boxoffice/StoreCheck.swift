import ArgumentParser
import BoxofficeStore
import Foundation

struct StoreCheck: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Verify the journal and the document files and print a summary.",
        discussion: """
            Runs the recovery a node runs at start-up (cutting an unfinished write from the end \
            of the journal), then compares every document file with the journal and rebuilds the \
            ones that differ. Exits with status 1 when journal frames were damaged (versions may be \
            lost; sync from a peer restores them), 0 otherwise.
            """
    )

    @OptionGroup var options: DataOptions

    func run() async throws {
        options.bootstrapLogging()
        let store = try DocumentStore.open(options.existingDirectory(), options: options.storeOptions)
        let recovery = store.recovery
        let audit = await store.auditFiles()
        await store.close()

        print("node            \(store.nodeID)")
        print("data            \(options.data)")
        print("documents       \(recovery.documents)")
        print("last sequence   \(recovery.lastSeq)")
        print("snapshot        \(recovery.snapshotSeq.map { "up to \($0), \(recovery.snapshotDocuments) documents" } ?? "none")")
        print("journal         \(recovery.journalSegments) segments, \(recovery.journalFrames) frames replayed")
        let upgrade =
            recovery.olderFormat.map {
                " (found format \($0): \(recovery.upgraded ? "upgraded" : "stays until the damage is gone and store compact runs"))"
            } ?? ""
        print("format          \(FileHeader.currentFormat)\(upgrade)")
        print("recovery        \(String(format: "%.3f", recovery.seconds)) s")
        print("damage          \(recovery.damage.isEmpty && recovery.journalEndsBefore == nil ? "none" : "")")
        for damage in recovery.damage { print("  - \(damage)") }
        if let mark = recovery.journalEndsBefore {
            print(
                "  - the journal ends at \(recovery.lastSeq), but document files were written up to \(mark) (or later): versions \(recovery.lastSeq + 1)–\(mark) at least are lost here (a journal segment deleted?); the node will reuse those sequence numbers, so run `boxoffice sync <peer-url> --data \(options.data) --from-start` against each peer before serving"
            )
        }
        print("document files  \(audit.verified) verified, \(audit.rebuilt.count) rebuilt, \(audit.missing) written, \(audit.strays.count) strays")
        for rebuilt in audit.rebuilt { print("  - rebuilt \(rebuilt)") }
        for stray in audit.strays { print("  - stray \(stray) (no such document; left in place)") }
        if recovery.lostVersions { throw ExitCode(1) }
    }
}
