import HTTPTypes
import Logging
import NIOCore
import NIOEmbedded
import NIOHTTPTypes
import Testing

@testable import BoxofficeServer

/// The limits one connection is held to, on the event loop's own clock (moved by the test): a
/// head in time, an idle keep-alive closed, a body at the minimum rate, a route's own time free.
@Suite struct ConnectionGuardTests {
    /// A connected channel with a guard of head 10 s, idle 60 s, and 1,024 bytes per 10 s window.
    private func guarded() throws -> (EmbeddedChannel, EmbeddedEventLoop) {
        let loop = EmbeddedEventLoop()
        var limits = ConnectionLimits()
        limits.headTimeout = .seconds(10)
        limits.idleTimeout = .seconds(60)
        limits.bodyWindow = .seconds(10)
        limits.minimumBodyBytes = 1_024
        let registry = ConnectionRegistry(limit: 100, logger: Logger(label: "test"))
        let channel = EmbeddedChannel(handler: ConnectionGuard(limits: limits, registry: registry, logger: Logger(label: "test")), loop: loop)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return (channel, loop)
    }

    private let head = HTTPRequestPart.head(HTTPRequest(method: .post, scheme: nil, authority: "x", path: "/tickets"))

    private func body(_ count: Int) -> HTTPRequestPart { .body(ByteBuffer(repeating: 0x20, count: count)) }

    @Test func aHeadNotSentInTimeIsClosed() throws {
        let (channel, loop) = try guarded()
        loop.advanceTime(by: .seconds(9))
        #expect(channel.isActive)
        loop.advanceTime(by: .seconds(1))
        #expect(!channel.isActive)
    }

    @Test func aKeptAliveConnectionIsClosedOnlyAfterItsIdleTimeout() throws {
        let (channel, loop) = try guarded()
        for _ in 0..<3 {
            loop.advanceTime(by: .seconds(5))
            try channel.writeInbound(head)
            try channel.writeInbound(HTTPRequestPart.end(nil))
            try channel.writeOutbound(HTTPResponsePart.end(nil))
        }
        // The head timeout (10 s from the start) has long passed; the idle one counts from the last answer.
        loop.advanceTime(by: .seconds(59))
        #expect(channel.isActive)
        loop.advanceTime(by: .seconds(1))
        #expect(!channel.isActive)
    }

    @Test func aBodySlowerThanTheMinimumIsClosed() throws {
        let (channel, loop) = try guarded()
        try channel.writeInbound(head)
        // The node asks for bytes (a read) and the client sends too few for a whole window.
        channel.pipeline.read()
        try channel.writeInbound(body(100))
        channel.pipeline.read()
        loop.advanceTime(by: .seconds(9))
        #expect(channel.isActive)
        loop.advanceTime(by: .seconds(1))
        #expect(!channel.isActive)
    }

    @Test func aBodyAtTheMinimumRateAndARouteBusyForLongStayOpen() throws {
        let (channel, loop) = try guarded()
        try channel.writeInbound(head)
        // The node waits for the client nearly every whole window, and gets the minimum in it.
        channel.pipeline.read()
        for _ in 0..<5 {
            loop.advanceTime(by: .seconds(9))
            try channel.writeInbound(body(1_024))
            channel.pipeline.read()
            loop.advanceTime(by: .seconds(1))
        }
        #expect(channel.isActive, "1,024 bytes every window is the minimum rate")
        // A route that asks for no more bytes for a while (backpressure) is the node's wait, not the client's.
        try channel.writeInbound(body(10))
        loop.advanceTime(by: .seconds(30))
        #expect(channel.isActive)
        try channel.writeInbound(HTTPRequestPart.end(nil))
        loop.advanceTime(by: .seconds(120))
        #expect(channel.isActive, "the route takes its time: no limit runs while it answers")
        try channel.writeOutbound(HTTPResponsePart.end(nil))
        loop.advanceTime(by: .seconds(60))
        #expect(!channel.isActive)
    }
}
