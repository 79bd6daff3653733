import Crypto
public import Foundation
import Glibc
import SwiftASN1
import X509

/// A node's own TLS certificate, as `boxoffice tls init` makes it: self-signed, P-256, valid for
/// the names and addresses peers reach the node by. Peers trust it by its **pin**, `sha256//`
/// and the base64 SHA-256 of its SubjectPublicKeyInfo (the form libcurl's
/// `CURLOPT_PINNEDPUBLICKEY` takes), or by the certificate file itself given as a CA.
public struct NodeCertificate: Sendable {
    public let certificatePEM: String
    public let privateKeyPEM: String
    public let pin: String

    /// - Parameters:
    ///   - nodeID: named in the certificate's subject.
    ///   - names: DNS names and IP addresses the certificate is valid for.
    public static func selfSigned(nodeID: String, names: [String], now: Date = Date(), years: Int = 10) throws -> NodeCertificate {
        let privateKey = P256.Signing.PrivateKey()
        let key = Certificate.PrivateKey(privateKey)
        let subject = try DistinguishedName { CommonName("boxoffice node \(nodeID)") }
        let extensions = try Certificate.Extensions {
            // Its own root, as `openssl req -x509` makes one: clients that take it as a CA file
            // (BoringSSL, Python) accept no self-signed end entity. Path length 0: it signs nothing more.
            Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
            Critical(KeyUsage(digitalSignature: true, keyCertSign: true))
            try ExtendedKeyUsage([.serverAuth, .clientAuth])
            SubjectAlternativeNames(names.map(Self.generalName))
        }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: key.publicKey,
            notValidBefore: now.addingTimeInterval(-3600),  // a peer's clock a little behind still accepts it
            notValidAfter: now.addingTimeInterval(Double(years) * 365.25 * 86_400),
            issuer: subject,
            subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions,
            issuerPrivateKey: key
        )
        return NodeCertificate(
            certificatePEM: try certificate.serializeAsPEM().pemString + "\n",
            privateKeyPEM: privateKey.pemRepresentation + "\n",
            pin: try pin(of: certificate)
        )
    }

    /// The pin of a certificate: the digest of its whole DER SubjectPublicKeyInfo (algorithm and key).
    static func pin(of certificate: Certificate) throws -> String {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate.publicKey)
        return "sha256//" + Data(SHA256.hash(data: serializer.serializedBytes)).base64EncodedString()
    }

    /// An IP address as an `iPAddress` name (its 4 or 16 bytes), anything else as a DNS name.
    private static func generalName(_ name: String) -> GeneralName {
        var v4 = in_addr()
        if inet_pton(AF_INET, name, &v4) == 1 {
            return .ipAddress(ASN1OctetString(contentBytes: withUnsafeBytes(of: &v4) { ArraySlice($0) }))
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, name, &v6) == 1 {
            return .ipAddress(ASN1OctetString(contentBytes: withUnsafeBytes(of: &v6) { ArraySlice($0) }))
        }
        return .dnsName(name)
    }
}
