import CCurl
import Dispatch

/// One libcurl easy handle, reused for every request to one peer (keep-alive), driven on a
/// serial queue of its own so a blocking transfer never holds a Swift concurrency thread.
/// This file is the only place that touches libcurl.
final class CurlSession: @unchecked Sendable {
    struct Reply: Sendable {
        let status: Int
        let body: [UInt8]
    }

    /// What a transfer failed with, before any HTTP status: connection refused, timeout, a peer
    /// that failed verification, …
    struct TransportError: Error, Sendable {
        let code: UInt32
        let message: String

        /// The peer's certificate or key was not trusted: retrying cannot help.
        var isVerificationFailure: Bool {
            [CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR]
                .contains { $0.rawValue == code }
        }
    }

    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    /// libcurl's own version text, e.g. "libcurl/7.88.1 OpenSSL/3.0 zlib/1.2".
    static var version: String {
        _ = globalInit
        return String(cString: curl_version())
    }

    private let handle: UnsafeMutableRawPointer
    private let queue = DispatchQueue(label: "boxoffice.curl")
    private let connectTimeoutMillis: Int
    private let totalTimeoutMillis: Int
    private let trust: PeerTrust
    /// libcurl's detailed message of the last failure ("SSL certificate problem: …"), used only on `queue`.
    private let errorText = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))

    init(trust: PeerTrust = PeerTrust(), connectTimeoutMillis: Int = 2_000, totalTimeoutMillis: Int = 30_000) {
        _ = Self.globalInit
        handle = curl_easy_init()!
        self.trust = trust
        self.connectTimeoutMillis = connectTimeoutMillis
        self.totalTimeoutMillis = totalTimeoutMillis
    }

    deinit {
        curl_easy_cleanup(handle)
        errorText.deallocate()
    }

    /// Performs one request; `body` makes it a POST.
    func perform(url: String, headers: [String], body: [UInt8]?) async throws -> Reply {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try self.performBlocking(url: url, headers: headers, body: body) })
            }
        }
    }

    private final class Sink {
        var bytes: [UInt8] = []
    }

    private func performBlocking(url: String, headers: [String], body: [UInt8]?) throws -> Reply {
        let curl = handle
        curl_easy_reset(curl)
        let sink = Sink()
        var list: UnsafeMutablePointer<curl_slist>?
        for header in headers { list = curl_slist_append(list, header) }
        defer { curl_slist_free_all(list) }

        _ = bx_curl_setopt_string(curl, CURLOPT_URL, url)
        _ = bx_curl_setopt_string(curl, CURLOPT_PROTOCOLS_STR, "http,https")
        _ = bx_curl_setopt_long(curl, CURLOPT_NOSIGNAL, 1)
        errorText[0] = 0
        _ = bx_curl_setopt_pointer(curl, CURLOPT_ERRORBUFFER, errorText)
        setTrust(curl)
        _ = bx_curl_setopt_long(curl, CURLOPT_CONNECTTIMEOUT_MS, connectTimeoutMillis)
        _ = bx_curl_setopt_long(curl, CURLOPT_TIMEOUT_MS, totalTimeoutMillis)
        _ = bx_curl_setopt_long(curl, CURLOPT_TCP_KEEPALIVE, 1)
        _ = bx_curl_setopt_string(curl, CURLOPT_ACCEPT_ENCODING, "")  // every encoding libcurl has: gzip, deflate, …
        _ = bx_curl_setopt_slist(curl, CURLOPT_HTTPHEADER, list)
        _ = bx_curl_setopt_write_function(curl) { data, size, count, context in
            let sink = Unmanaged<Sink>.fromOpaque(context!).takeUnretainedValue()
            sink.bytes.append(contentsOf: UnsafeRawBufferPointer(start: data, count: size * count))
            return size * count
        }
        let code: CURLcode = withExtendedLifetime(sink) {
            _ = bx_curl_setopt_pointer(curl, CURLOPT_WRITEDATA, Unmanaged.passUnretained(sink).toOpaque())
            guard let body else { return curl_easy_perform(curl) }
            return body.withUnsafeBytes { raw in
                _ = bx_curl_setopt_long(curl, CURLOPT_POST, 1)
                _ = bx_curl_setopt_long(curl, CURLOPT_POSTFIELDSIZE, raw.count)
                _ = bx_curl_setopt_pointer(curl, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: raw.baseAddress))
                return curl_easy_perform(curl)
            }
        }
        guard code == CURLE_OK else {
            let detail = String(cString: errorText)
            throw TransportError(code: code.rawValue, message: detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail)
        }
        var status = 0
        _ = bx_curl_response_code(curl, &status)
        return Reply(status: status, body: sink.bytes)
    }

    /// The system's CAs, plus `caFile`; with pins, the peer's public key must have one of them.
    private func setTrust(_ curl: UnsafeMutableRawPointer) {
        if let caFile = trust.caFile { _ = bx_curl_setopt_string(curl, CURLOPT_CAINFO, caFile) }
        guard !trust.pins.isEmpty else { return }
        _ = bx_curl_setopt_string(curl, CURLOPT_PINNEDPUBLICKEY, trust.pins.joined(separator: ";"))
        // Invariant: a pin replaces the CA check only when no CA file was given; the pin is still checked.
        if trust.caFile == nil {
            _ = bx_curl_setopt_long(curl, CURLOPT_SSL_VERIFYPEER, 0)
            _ = bx_curl_setopt_long(curl, CURLOPT_SSL_VERIFYHOST, 0)
        }
    }
}
