import Logging
import NIOCore
import NIOEmbedded
import Testing

@testable import BoxofficeServer

/// The connection cap: past it, the connection that has waited longest for a request is closed,
/// in constant time per connection however many are open.
@Suite struct ConnectionRegistryTests {
    @Test func theCapClosesTheConnectionWaitingLongestAndSparesOnesServingARequest() async throws {
        let registry = ConnectionRegistry(limit: 3, logger: Logger(label: "test"))
        let channels = (0..<6).map { _ in EmbeddedChannel() }
        for channel in channels { try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).get() }
        for channel in channels[0..<3] { registry.open(channel) }
        registry.setWaiting(channels[0], false)  // serving a request: never closed for the cap
        registry.setWaiting(channels[1], true)  // finished a request: now the newest waiter
        registry.open(channels[3])
        #expect(!channels[2].isActive && channels[0].isActive && channels[1].isActive, "the longest waiter, channel 2, goes")
        registry.open(channels[4])
        #expect(!channels[1].isActive && channels[0].isActive && channels[3].isActive)
        registry.setWaiting(channels[0], true)
        registry.open(channels[5])
        #expect(!channels[3].isActive && channels[0].isActive && channels[4].isActive && channels[5].isActive)
    }

    @Test func aFloodThroughTheCapLeavesExactlyTheCapOpen() async throws {
        // Kept-alive connections wait again after each request; their old places in the line
        // go stale and must neither be closed nor count.
        let registry = ConnectionRegistry(limit: 1_000, logger: Logger(label: "test"))
        var all: [EmbeddedChannel] = []
        for index in 0..<20_000 {
            let channel = EmbeddedChannel()
            try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).get()
            all.append(channel)
            registry.open(channel)
            registry.setWaiting(all[index / 2], false)
            registry.setWaiting(all[index / 2], true)
        }
        let active = all.filter { $0.isActive }
        #expect(active.count == 1_000)
        #expect(active.last === all.last, "the newest is never the one closed")
    }
}
