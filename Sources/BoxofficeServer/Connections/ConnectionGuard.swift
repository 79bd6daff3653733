import HTTPTypes
import Logging
import NIOCore
import NIOHTTPTypes

/// Holds one connection to `ConnectionLimits`: its request head within `headTimeout` (the first)
/// or `idleTimeout` (the next, on a kept-alive connection), its body at the minimum rate, and its
/// place under the node's connection cap (`ConnectionRegistry`). A connection that breaks a limit
/// is closed and the reason logged.
///
/// One timer per connection, checked lazily: a request only notes the time, and the timer, when it
/// fires, compares the deadline of the connection's phase then and re-arms itself for it (as
/// Netty's `IdleStateHandler` does). A busy keep-alive connection thus costs one timer per
/// `bodyWindow`, not two per request. Times are the event loop's (`EventLoop.now`), so a test
/// can move them.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// Where the connection is between requests, and what it must do by when.
    private enum Phase {
        /// Waiting for a request head until `deadline`, or closed for `reason`.
        case waitingForHead(deadline: NIODeadline, reason: String)
        /// Receiving a body: at least `minimumBodyBytes` per window, counted since `windowStart`.
        case receivingBody(windowStart: NIODeadline)
        /// The request is in; the route is answering it (its time is the node's, not the client's).
        case answering
    }

    private let limits: ConnectionLimits
    /// The limits' durations as the event loop counts time, converted once.
    private let headTimeout: TimeAmount
    private let idleTimeout: TimeAmount
    private let bodyWindow: TimeAmount
    private let registry: ConnectionRegistry
    private let logger: Logger
    private var started = false
    private var phase = Phase.answering
    private var timer: Scheduled<Void>?
    private var bodyBytes = 0
    /// Since when the node has asked for bytes the client has not sent; nil while the node is
    /// not reading (a route busy with what it has: backpressure is the node's wait, not the client's).
    private var waitingForClientSince: NIODeadline?

    init(limits: ConnectionLimits, registry: ConnectionRegistry, logger: Logger) {
        self.limits = limits
        headTimeout = TimeAmount(limits.headTimeout)
        idleTimeout = TimeAmount(limits.idleTimeout)
        bodyWindow = TimeAmount(limits.bodyWindow)
        self.registry = registry
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        registry.close(context.channel)
        context.fireChannelInactive()
    }

    func read(context: ChannelHandlerContext) {
        if waitingForClientSince == nil { waitingForClientSince = context.eventLoop.now }
        context.read()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        waitingForClientSince = nil
        switch unwrapInboundIn(data) {
        case .head:
            registry.setWaiting(context.channel, false)
            bodyBytes = 0
            phase = .receivingBody(windowStart: context.eventLoop.now)
        case let .body(buffer):
            bodyBytes += buffer.readableBytes
        case .end:
            phase = .answering
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data), case .answering = phase {
            registry.setWaiting(context.channel, true)
            phase = .waitingForHead(deadline: context.eventLoop.now + idleTimeout, reason: "idle keep-alive connection closed")
            if timer == nil { arm(context) }
        }
        context.write(data, promise: promise)
    }

    private func start(_ context: ChannelHandlerContext) {
        guard !started else { return }
        started = true
        registry.open(context.channel)
        phase = .waitingForHead(deadline: context.eventLoop.now + headTimeout, reason: "no request head in time")
        arm(context)
    }

    /// Sets the timer for the deadline of the current phase; none while a route answers (its
    /// time is the node's), the answer's end arms it again. While waiting for a head it looks at
    /// least every `bodyWindow`, so that a head arriving meanwhile has its body watched in time.
    private func arm(_ context: ChannelHandlerContext) {
        let deadline: NIODeadline
        switch phase {
        case let .waitingForHead(at, _): deadline = min(at, context.eventLoop.now + bodyWindow)
        case let .receivingBody(windowStart): deadline = windowStart + bodyWindow
        case .answering: return
        }
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            timer = nil
            check(context)
        }
    }

    /// The timer fired: closes the connection if its phase's deadline has passed, else re-arms for it.
    private func check(_ context: ChannelHandlerContext) {
        let now = context.eventLoop.now
        switch phase {
        case let .waitingForHead(deadline, reason) where now >= deadline:
            return close(context, reason)
        case let .receivingBody(windowStart) where now - windowStart >= bodyWindow:
            // Slow only if the node waited the whole window for the client and got too little.
            if bodyBytes < limits.minimumBodyBytes, let since = waitingForClientSince, now - since >= bodyWindow {
                return close(context, "request body slower than the minimum rate")
            }
            bodyBytes = 0
            phase = .receivingBody(windowStart: now)
        default:
            break
        }
        arm(context)
    }

    private func close(_ context: ChannelHandlerContext, _ reason: String) {
        logger.info("connection closed: \(reason)", metadata: ["client": "\(context.remoteAddress?.description ?? "unknown")"])
        context.close(promise: nil)
    }
}
