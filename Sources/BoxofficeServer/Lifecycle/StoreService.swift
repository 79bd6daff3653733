import BoxofficeStore
import Logging
import ServiceLifecycle

/// The store's part of the node's lifecycle: the start-up audit of the document files, and the
/// store's close once the server and the sync have stopped (the application's service group
/// shuts its services down in reverse order, and this one comes first).
struct StoreService: Service {
    let store: DocumentStore
    let logger: Logger

    func run() async throws {
        // The audit runs on the files thread; closing the store ends it early, never half-written.
        async let audited: Void = audit()
        try? await gracefulShutdown()
        await store.close()
        await audited
    }

    private func audit() async {
        let audit = await store.auditFiles()
        if !audit.rebuilt.isEmpty || audit.missing > 0 {
            logger.warning("document files rebuilt", metadata: ["rebuilt": "\(audit.rebuilt.count)", "missing": "\(audit.missing)"])
        }
    }
}
