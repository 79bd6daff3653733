import NIOSSL
import X509

/// The certificate chain and private key a node serves HTTPS with (API, pages and sync on one
/// port), read and checked when the node starts. TLS 1.2 at least, as swift-nio-ssl's server default.
public struct ServerTLS: Sendable {
    let configuration: TLSConfiguration
    /// The pin of the served certificate's public key, for peers to trust it by.
    public let pin: String

    /// Why the files cannot serve, named for the operator.
    public struct SetupError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Reads the files now (readable, PEM, the key matching the certificate), so a bad file stops
    /// the start instead of failing every handshake.
    public init(certificatePath: String, keyPath: String) throws(SetupError) {
        let chain: [NIOSSLCertificate]
        do { chain = try NIOSSLCertificate.fromPEMFile(certificatePath) } catch {
            throw SetupError(description: "cannot read a PEM certificate from \(certificatePath): \(error)")
        }
        guard let leaf = chain.first, let certificate = try? Certificate(derEncoded: leaf.toDERBytes()),
            let pin = try? NodeCertificate.pin(of: certificate)
        else {
            throw SetupError(description: "\(certificatePath) holds no PEM certificate")
        }
        let key: NIOSSLPrivateKey
        do { key = try NIOSSLPrivateKey(file: keyPath, format: .pem) } catch {
            throw SetupError(description: "cannot read a PEM private key from \(keyPath): \(error)")
        }
        configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        do { _ = try NIOSSLContext(configuration: configuration) } catch {
            throw SetupError(description: "the key in \(keyPath) does not serve the certificate in \(certificatePath): \(error)")
        }
        self.pin = pin
    }
}
