import BoxofficeCore
public import BoxofficeStore
import BoxofficeSync
import BoxofficeVenue
import Foundation
public import Hummingbird
import HummingbirdCore
import HummingbirdTLS
public import Logging
import NIOCore
import ServiceLifecycle

/// Builds the node's HTTP application on an open store. The CLI runs it; tests build the same
/// application in process on a temporary store.
public func buildApplication(
    store: any VersionedStore,
    configuration: ServerConfiguration,
    logger: Logger
) async throws -> some ApplicationProtocol {
    let router = try await buildRouter(store: store, configuration: configuration)
    let connections = ConnectionRegistry(limit: configuration.connections.maxConnections, logger: logger)
    // Shut down in reverse: the server, then the sync, then the store's close.
    var services: [any Service] = [StoreService(store: store, logger: logger)]
    if !configuration.peers.isEmpty {
        let sync = ContinuousSync(
            local: VenueRules.localNode(store, now: configuration.now),
            peers: configuration.peers,
            key: configuration.nodeKey,
            secret: configuration.secret,
            trust: configuration.peerTrust,
            interval: configuration.syncInterval,
            board: configuration.peerStatus,
            afterSync: VenueRules.rebalance(
                store,
                demand: configuration.seatDemand,
                idleAfter: configuration.seatIdleAfter,
                contacts: configuration.peerContacts
            )
        )
        services.append(ContinuousSyncService(sync: sync))
    }
    let http = HTTPServerBuilder.http1(
        configuration: .init(additionalChannelHandlers: connectionHandlers(configuration, registry: connections, logger: logger))
    )
    return Application(
        router: router,
        server: try configuration.tls.map { try .tls(http, tlsConfiguration: $0.configuration) } ?? http,
        // A sale opening is a burst of new connections: queue up to 1,024 while the node accepts.
        configuration: ApplicationConfiguration(
            address: .hostname(configuration.host, port: configuration.port),
            serverName: "boxoffice",
            backlog: 1_024
        ),
        services: services,
        onServerRunning: { channel in await configuration.onListening(channel.localAddress?.port ?? configuration.port) },
        logger: logger
    )
}

/// The handlers every connection gets after HTTP decoding: a request head the parser refuses is
/// answered as problem+json, not a bare 400; slow, idle and surplus connections are closed; with
/// TLS, a refused handshake is logged.
private func connectionHandlers(
    _ configuration: ServerConfiguration,
    registry: ConnectionRegistry,
    logger: Logger
) -> [any RemovableChannelHandler] {
    var handlers: [any RemovableChannelHandler] = [
        UnreadableRequestHandler(logger: logger),
        ConnectionGuard(limits: configuration.connections, registry: registry, logger: logger),
    ]
    if configuration.tls != nil { handlers.append(HandshakeFailureLogger(logger: logger)) }
    return handlers
}

/// The routes of the venue API, each at its path and again under `/api`, where the original web
/// app's paths answer as its client reads them (`WebAppRoutes`).
public func buildRouter(store: any VersionedStore, configuration: ServerConfiguration) async throws -> Router<BoxofficeRequestContext> {
    let now = configuration.now
    let metrics = NodeMetrics.shared
    let hasher = PasswordHasher(cost: UInt8(clamping: configuration.passwordCost))
    let users = UserService(store: store, hasher: hasher, now: now)
    let events = EventService(store: store, now: now)
    let seats = SeatService(
        store: store,
        demand: configuration.seatDemand,
        idleAfter: configuration.seatIdleAfter,
        contacts: configuration.peerContacts,
        now: now
    )
    let tickets = TicketService(store: store, events: events, metrics: metrics, demand: configuration.seatDemand, now: now)
    let notifications = NotificationService(store: store, now: now)
    let reservations = ReservationService(store: store, events: events, metrics: metrics, demand: configuration.seatDemand, now: now)
    guard let openAPI = Bundle.module.url(forResource: "openapi", withExtension: "yaml").flatMap({ try? Data(contentsOf: $0) }) else {
        throw StoreError.io(operation: "read", path: "openapi.yaml (bundled resource)", errno: ENOENT)
    }

    let conflictService = ConflictService(store: store, now: now)
    // Invariant: the node's own roster record carries its current key and pin before any peer asks.
    let roster = NodeRoster(store: store, now: now)
    try await roster.declareSelf(key: configuration.nodeKey, tlsPin: configuration.tls?.pin)
    let tokens = await AccessTokens(key: configuration.nodeKey, roster: roster, lifetime: configuration.tokenLifetime)
    let local = VenueRules.localNode(store, now: now)
    let settlements = SettlementService(store: store, timeZone: configuration.timeZone, now: now)
    let shell = WebShell(
        renderer: try await PageRenderer.load(),
        session: WebSession(secret: configuration.secret, secureCookies: configuration.tls != nil),
        notifications: notifications,
        conflicts: conflictService,
        peerStatus: configuration.peerStatus,
        nodeID: store.nodeID
    )

    let router = Router(context: BoxofficeRequestContext.self, options: .autoGenerateHeadEndpoints)
    let routes = RouteTable()
    router.addMiddleware {
        SecurityHeadersMiddleware()
        MetricsMiddleware()
        ErrorMiddleware(shell: shell, scope: .router(routes))
        WebAppMiddleware()
    }
    // Peers sign their requests with their node keys; a new node enrolls first; people use access tokens.
    let sync = SyncRoutes(node: local, status: configuration.peerStatus, seats: seats, roster: roster)
    sync.addRoutes(
        to: router.group("sync").add(
            middleware: PeerAuthMiddleware(
                roster: roster,
                store: store,
                allowedPeers: configuration.allowedPeers,
                contacts: configuration.peerContacts
            )
        )
    )
    EnrollmentRoutes(
        enrollment: EnrollmentService(
            roster: roster,
            local: local,
            key: configuration.nodeKey,
            secret: configuration.secret,
            allowed: configuration.allowedPeers
        ),
        nodeID: store.nodeID
    ).addRoutes(to: router.group("sync/enroll"))
    for dialect in APIDialect.allCases {
        let group = router.group(dialect.prefix).add(middleware: AuthMiddleware(tokens: tokens, users: users))
        let accounts = UserRoutes(users: users, tickets: tickets, notifications: notifications, tokens: tokens, now: now)
        accounts.addRoutes(to: group, dialect: dialect)
        EventRoutes(events: events, seats: seats, timeZone: configuration.timeZone).addRoutes(to: group, dialect: dialect)
        TicketRoutes(tickets: tickets, checkIns: CheckInService(store: store, now: now)).addRoutes(to: group, dialect: dialect)
        NotificationRoutes(notifications: notifications).addRoutes(to: group, dialect: dialect)
        if dialect == .webApp {
            WebAppRoutes(
                accounts: accounts,
                events: events,
                tickets: tickets,
                notifications: notifications,
                timeZone: configuration.timeZone,
                defaults: configuration.eventDefaults,
                now: now
            ).addRoutes(to: group)
        }
        ReservationRoutes(reservations: reservations).addRoutes(to: group)
        ConflictRoutes(conflicts: conflictService).addRoutes(to: group)
        TillRoutes(tills: TillService(store: store, now: now)).addRoutes(to: group)
        SettlementRoutes(settlements: settlements).addRoutes(to: group)
        if dialect == .venue {
            RosterRoutes(roster: roster).addRoutes(to: group)
            sync.addStatusRoute(to: group)
        }
        NodeRoutes(store: store, metrics: metrics, seats: seats, startedAt: Date(), openAPI: ByteBuffer(bytes: openAPI)).addRoutes(to: group)
    }
    let pages = router.group().add(middleware: SessionMiddleware(tokens: tokens, users: users, session: shell.session)).add(
        middleware: ErrorMiddleware(shell: shell, scope: .pages)
    )
    ConflictPageRoutes(conflicts: conflictService, store: store, shell: shell).addRoutes(to: pages)
    SettlementPageRoutes(settlements: settlements, shell: shell).addRoutes(to: pages)
    addPages(
        to: pages,
        shell: shell,
        store: store,
        configuration: configuration,
        tokens: tokens,
        users: users,
        events: events,
        seats: seats,
        tickets: tickets,
        notifications: notifications,
        reservations: reservations
    )
    routes.load(router.routes.map { ($0.path, $0.method) })
    return router
}

/// The web pages: `/` and everything under `/web/` (and the conflict report at `/conflicts`),
/// paths no API client uses, so the JSON API answers exactly as before. A session cookie stands
/// in for the bearer token.
private func addPages(
    to pages: RouterGroup<BoxofficeRequestContext>,
    shell: WebShell,
    store: any VersionedStore,
    configuration: ServerConfiguration,
    tokens: AccessTokens,
    users: UserService,
    events: EventService,
    seats: SeatService,
    tickets: TicketService,
    notifications: NotificationService,
    reservations: ReservationService
) {
    let now = configuration.now
    WebShopRoutes(shell: shell, events: events, tickets: tickets, reservations: reservations, now: now).addRoutes(to: pages)
    WebAccountRoutes(
        shell: shell,
        users: users,
        tickets: tickets,
        notifications: notifications,
        tokens: tokens,
        tokenLifetime: configuration.tokenLifetime,
        now: now
    ).addRoutes(to: pages)
    WebStaffRoutes(shell: shell, store: store, events: events, tickets: tickets, checkIns: CheckInService(store: store, now: now), now: now)
        .addRoutes(to: pages)
    WebOrganizerRoutes(shell: shell, store: store, events: events, seats: seats).addRoutes(to: pages)
    for (path, type, body) in [
        ("web/style.css", "text/css; charset=utf-8", shell.renderer.stylesheet),
        ("web/app.js", "text/javascript; charset=utf-8", shell.renderer.script),
    ] {
        pages.get(RouterPath(path)) { _, _ in
            Response(status: .ok, headers: [.contentType: type, .cacheControl: "max-age=3600"], body: .init(byteBuffer: body))
        }
    }
    // Any other page path is a 404 page, not problem+json.
    pages.get("web/**") { request, _ -> Response in throw DomainError.notFound(kind: "page", id: request.uri.path) }
}
