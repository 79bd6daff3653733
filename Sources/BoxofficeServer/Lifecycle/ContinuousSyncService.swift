import BoxofficeSync
import ServiceLifecycle

/// The continuous sync with the configured peers, until the node shuts down: stopped before the
/// store closes (it writes to it).
struct ContinuousSyncService: Service {
    let sync: ContinuousSync

    func run() async {
        await cancelWhenGracefulShutdown { await sync.run() }
    }
}
