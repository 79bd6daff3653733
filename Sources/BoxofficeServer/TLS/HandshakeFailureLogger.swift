import Logging
import NIOCore
import NIOSSL

/// Logs a TLS handshake the node refused (a client that speaks plain HTTP to the HTTPS port, one
/// that does not trust the node's certificate, a protocol too old), with the client's address:
/// every refusal is logged. NIOSSL closes the connection itself.
final class HandshakeFailureLogger: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if case NIOSSLError.handshakeFailed = error {
            let address = context.remoteAddress?.description ?? "unknown"
            logger.info("TLS handshake refused", metadata: ["client": "\(address)", "error": "\(error)"])
        }
        context.fireErrorCaught(error)
    }
}
