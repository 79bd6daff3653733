import BoxofficeStore
import Logging
import ServiceLifecycle

/// The store's part of the node's lifecycle: its upkeep while the node serves (the file store's
/// audit of its document files), and the store's close once the server and the sync have
/// stopped (the application's service group shuts its services down in reverse order, and this
/// one comes first).
struct StoreService: Service {
    let store: any VersionedStore
    let logger: Logger

    func run() async throws {
        // The upkeep runs off the request path; closing the store ends it early, never half-done.
        async let upkeep: Void = store.maintain(logger: logger)
        try? await gracefulShutdown()
        await store.close()
        await upkeep
    }
}
