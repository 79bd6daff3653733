import Glibc

/// A raw TCP connection to a port on 127.0.0.1, for tests that send what no HTTP client would
/// (a body cut short, a client that hangs up).
public final class LoopbackSocket {
    private let fd: Int32

    public init?(port: Int) {
        guard let fd = TCPProxy.connect(to: port) else { return nil }
        self.fd = fd
    }

    public func send(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    public func close() {
        _ = Glibc.close(fd)
    }
}
