import HTTPTypes
import Logging
import NIOCore
import NIOHTTPTypes

/// Holds one connection to `ConnectionLimits`: its request head within `headTimeout` (the first)
/// or `idleTimeout` (the next, on a kept-alive connection), its body at the minimum rate, and its
/// place under the node's connection cap (`ConnectionRegistry`). A connection that breaks a limit
/// is closed and the reason logged.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let limits: ConnectionLimits
    private let registry: ConnectionRegistry
    private let logger: Logger
    private var started = false
    private var deadline: Scheduled<Void>?
    private var receivingBody = false
    private var bodyBytes = 0
    /// Since when the node has asked for bytes the client has not sent; nil while the node is
    /// not reading (a route busy with what it has: backpressure is the node's wait, not the client's).
    private var waitingForClientSince: NIODeadline?

    init(limits: ConnectionLimits, registry: ConnectionRegistry, logger: Logger) {
        self.limits = limits
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
        deadline?.cancel()
        registry.close(context.channel)
        context.fireChannelInactive()
    }

    func read(context: ChannelHandlerContext) {
        if waitingForClientSince == nil { waitingForClientSince = .now() }
        context.read()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        waitingForClientSince = nil
        switch unwrapInboundIn(data) {
        case .head:
            registry.setWaiting(context.channel, false)
            receivingBody = true
            bodyBytes = 0
            watchBody(context)
        case let .body(buffer):
            bodyBytes += buffer.readableBytes
        case .end:
            receivingBody = false
            deadline?.cancel()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data), !receivingBody {
            registry.setWaiting(context.channel, true)
            expect(context, within: limits.idleTimeout, "idle keep-alive connection closed")
        }
        context.write(data, promise: promise)
    }

    private func start(_ context: ChannelHandlerContext) {
        guard !started else { return }
        started = true
        registry.open(context.channel)
        expect(context, within: limits.headTimeout, "no request head in time")
    }

    /// Closes the connection unless a request head arrives within `timeout`.
    private func expect(_ context: ChannelHandlerContext, within timeout: Duration, _ reason: String) {
        deadline?.cancel()
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(timeout)) { [self] in
            close(context, reason)
        }
    }

    /// Every `bodyWindow` while a body arrives: closes the connection if less than the minimum came
    /// while the node waited a whole window for the client.
    private func watchBody(_ context: ChannelHandlerContext) {
        deadline?.cancel()
        let window = TimeAmount(limits.bodyWindow)
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: window) { [self] in
            guard receivingBody else { return }
            if bodyBytes < limits.minimumBodyBytes, let since = waitingForClientSince, .now() - since >= window {
                return close(context, "request body slower than the minimum rate")
            }
            bodyBytes = 0
            watchBody(context)
        }
    }

    private func close(_ context: ChannelHandlerContext, _ reason: String) {
        logger.info("connection closed: \(reason)", metadata: ["client": "\(context.remoteAddress?.description ?? "unknown")"])
        context.close(promise: nil)
    }
}
