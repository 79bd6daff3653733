import HTTPTypes
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// A request whose head NIO's parser refuses (a URL or header over the limit, too many headers,
/// bytes that are not HTTP) never reaches the router, and Hummingbird would answer it with a bare
/// 400 and no body. This handler answers it as every other error is answered (`ProblemDetails`),
/// logs the refusal, and closes the connection. An error in the middle of a request (a body cut
/// short) is left to the route, which is reading it.
final class UnreadableRequestHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let logger: Logger
    /// From a request's head until its response ends.
    private var requestOpen = false

    init(logger: Logger) {
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data) { requestOpen = true }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { requestOpen = false }
        context.write(data, promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard error is HTTPParserError, !requestOpen else { return context.fireErrorCaught(error) }
        // A head cut short by a close (the client's, or a timeout's, logged where it was decided) has no one to answer.
        guard context.channel.isActive else { return }
        let address = context.remoteAddress?.description ?? "unknown"
        logger.info("request refused: its head could not be read", metadata: ["client": "\(address)", "error": "\(error)"])
        let problem = ProblemDetails(error, instance: nil)
        let body = ByteBuffer(bytes: problem.json)
        let head = HTTPResponse(
            status: problem.httpStatus,
            headerFields: [.contentType: "application/problem+json", .contentLength: "\(body.readableBytes)", .connection: "close"]
        )
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        // Invariant: nothing after this request is read; the connection ends with this answer.
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }
}
