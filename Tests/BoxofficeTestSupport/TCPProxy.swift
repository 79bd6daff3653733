import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A TCP forwarder on 127.0.0.1 that a test can cut and restore: the link between two nodes.
/// While cut, open connections are torn down and new ones are closed at once, so the node on
/// the near side sees a real connection failure (its libcurl reports it) and retries later.
public final class TCPProxy: Sendable {
    public let port: Int
    private let listener: Int32
    private let state = Mutex(State())
    /// Every byte that crossed the link, both ways, in the order read: what a capture on the wire sees.
    private let recorded = Mutex<[UInt8]>([])

    public var transcript: [UInt8] { recorded.withLock { $0 } }

    private struct State {
        var target: Int?
        var open = true
        var closed = false
        var connections: Set<Int32> = []
        /// Cut the link once this many bytes in all have been read from it.
        var cutAt: Int?
    }

    public init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ProxyError.system("socket", errno) }
        var address = Self.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else { throw ProxyError.system("bind/listen", errno) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    public var url: String { "http://127.0.0.1:\(port)" }

    /// Where connections go: a port on 127.0.0.1.
    public func forward(to port: Int) {
        state.withLock { $0.target = port }
    }

    /// Cuts the link: tears down every open connection and refuses new ones until `restore`.
    public func cut() {
        state.withLock { state in
            state.open = false
            // Under the lock that closing takes too: a descriptor shut down here is still this
            // link's, never a number the process has since reused (another link's listener).
            for fd in state.connections { shutdown(fd, Int32(SHUT_RDWR)) }
        }
    }

    /// Cuts the link once `bytes` in all (both ways, since it was made) have been read from it: mid-
    /// response when the count falls inside one. The read that reaches the count is not passed on.
    public func cut(afterBytes bytes: Int) {
        state.withLock { $0.cutAt = bytes }
    }

    public func restore() {
        state.withLock { state in
            state.open = true
            state.cutAt = nil
        }
    }

    public var isOpen: Bool { state.withLock { $0.open } }

    /// Stops accepting and tears everything down.
    public func close() {
        cut()
        state.withLock { state in
            state.closed = true
            // Under the lock the accept loop takes before it closes the listener.
            shutdown(listener, Int32(SHUT_RDWR))
        }
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                let failure = errno
                // A connection its client gave up on before it was taken (ECONNABORTED), or a
                // moment without descriptors, must not end the link for good: only `close` does.
                if state.withLock({ $0.closed }) { break }
                if failure != EINTR && failure != ECONNABORTED { usleep(10_000) }
                continue
            }
            guard let target = state.withLock({ $0.open && !$0.closed ? $0.target : nil }), let upstream = Self.connect(to: target) else {
                Glibc.close(client)
                continue
            }
            let registered = state.withLock { state in
                guard state.open else { return false }
                state.connections.formUnion([client, upstream])
                return true
            }
            guard registered else {
                Glibc.close(client)
                Glibc.close(upstream)
                continue
            }
            let finished = Mutex(0)
            for (from, to) in [(client, upstream), (upstream, client)] {
                Thread { [self] in
                    Self.pump(from: from, to: to) { bytes in
                        let crossed = recorded.withLock { recorded in
                            recorded += bytes
                            return recorded.count
                        }
                        guard let limit = state.withLock({ $0.cutAt }), crossed >= limit else { return true }
                        cut()
                        return false
                    }
                    // The second pump to finish closes both ends.
                    guard
                        finished.withLock({ count in
                            count += 1
                            return count
                        }) == 2
                    else { return }
                    state.withLock { state in
                        state.connections.subtract([client, upstream])
                        Glibc.close(client)
                        Glibc.close(upstream)
                    }
                }.start()
            }
        }
        Glibc.close(listener)
    }

    /// Forwards what `from` sends to `to` until either end closes, or `record` says to stop.
    private static func pump(from: Int32, to: Int32, record: (ArraySlice<UInt8>) -> Bool) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        loop: while true {
            let count = buffer.withUnsafeMutableBytes { read(from, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            guard record(buffer[..<count]) else { break }
            var sent = 0
            while sent < count {
                // MSG_NOSIGNAL: a socket that `cut` shut down meanwhile fails this call; it raises no SIGPIPE.
                let written = buffer.withUnsafeBytes { send(to, $0.baseAddress! + sent, count - sent, Int32(MSG_NOSIGNAL)) }
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { break loop }
                sent += written
            }
        }
        shutdown(from, Int32(SHUT_RDWR))
        shutdown(to, Int32(SHUT_RDWR))
    }

    static func connect(to port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            Glibc.close(fd)
            return nil
        }
        return fd
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    public enum ProxyError: Error {
        case system(String, Int32)
    }
}
