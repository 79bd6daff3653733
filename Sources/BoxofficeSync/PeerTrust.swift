import Foundation

/// How this node verifies the peers it connects to over HTTPS. By default, the system's CA
/// certificates; `caFile` adds a CA bundle or a peer's own certificate; `pins` accept a peer whose
/// certificate's public key has one of these pins (`sha256//<base64>`, as `boxoffice tls init`
/// prints them) even when no CA signed it. A peer that fails verification is an error, never a
/// fallback to trusting it.
public struct PeerTrust: Sendable, Equatable {
    public var caFile: String?
    public var pins: [String]

    public init(caFile: String? = nil, pins: [String] = []) {
        self.caFile = caFile
        self.pins = pins
    }

    /// A problem with the settings an operator must fix, or nil.
    public var problem: String? {
        if let caFile, !FileManager.default.isReadableFile(atPath: caFile) { return "--ca \(caFile): no readable file there" }
        for pin in pins {
            guard pin.hasPrefix(Self.pinPrefix), let digest = Data(base64Encoded: String(pin.dropFirst(Self.pinPrefix.count))), digest.count == 32
            else { return "--pin \(pin): a pin is sha256// and the base64 of 32 bytes, as boxoffice tls init prints it" }
        }
        return nil
    }

    static let pinPrefix = "sha256//"

    /// Whether `host` names this machine only (traffic to it never crosses a network).
    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]"
    }

    /// Why sending to `url` is a risk, or nil: plain HTTP to a host that is not this machine lets
    /// anyone on the way read the cluster secret and every document, and change them.
    public static func risk(of url: String) -> String? {
        guard let parts = URLComponents(string: url), parts.scheme?.lowercased() == "http", let host = parts.host else { return nil }
        guard !isLoopback(host) else { return nil }
        return
            "\(url) is plain HTTP to another machine: anyone on the network between can read the cluster secret and every document, and change them. Serve the peer with TLS (boxoffice tls init) and use https://"
    }
}
