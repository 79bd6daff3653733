import BoxofficeSync
import BoxofficeVenue
import Foundation
import Hummingbird
import Logging
import NIOEmbedded
import Testing

@testable import BoxofficeServer

/// The page cache keeps pages that are seen again, and only those.
@Suite struct PageCacheTests {
    @Test func holdAndSalePagesAreNotKept() async throws {
        try await TestNode.run { node, client in
            let shell = WebShell(
                renderer: try await PageRenderer.load(),
                session: WebSession(secret: TestNode.secret, secureCookies: false),
                notifications: NotificationService(store: node.store, now: { Date() }),
                conflicts: ConflictService(store: node.store, now: { Date() }),
                peerStatus: SyncStatusBoard(),
                nodeID: node.store.nodeID
            )
            let context = BoxofficeRequestContext(source: .init(channel: EmbeddedChannel(), logger: Logger(label: "test")))
            let id = try await client.createEvent(token: try await client.login("olga@venue.test", "organizer-pw"))
            let card = EventCard(try await EventService(store: node.store, now: { Date() }).view(id))
            for second in 0..<3 {
                let hold = WebShopRoutes.HoldPage(
                    id: "h-1",
                    event: card,
                    seats: 1,
                    until: "20:00",
                    secondsLeft: 600 - second,
                    minutesLeft: 10,
                    open: true,
                    confirmed: false,
                    gone: false,
                    error: nil
                )
                _ = try await shell.page("hold", title: "Your seats", hold, context: context)
                let sale = WebStaffRoutes.Sale(
                    events: [],
                    methods: [],
                    query: "",
                    more: false,
                    key: "K\(second)",
                    values: [:],
                    errors: [:],
                    sold: [],
                    hasSold: false
                )
                _ = try await shell.page("sale", title: "Walk-in sale", sale, context: context, staff: true)
            }
            #expect(shell.cache.count == 0, "a countdown and a fresh key are never seen again")
            _ = try await shell.page("error", title: "Not found", WebShell.ErrorPage(heading: "Not found", detail: "x"), context: context)
            #expect(shell.cache.count == 1, "other pages are kept")
        }
    }
}
