import BoxofficeServer
import BoxofficeSync
import BoxofficeTestSupport
import Foundation
import Testing

/// What a node accepts as a way to trust its peers, and what it warns about.
@Suite struct PeerTrustTests {
    @Test func plainHTTPToAnotherMachineIsNamedARisk() {
        #expect(PeerTrust.risk(of: "http://venue-c.example:8080") != nil)
        #expect(PeerTrust.risk(of: "http://venue-b.example:8080")?.contains("cluster secret") == true)
        #expect(PeerTrust.risk(of: "HTTP://venue-b.example:8080") != nil)
        #expect(PeerTrust.risk(of: "http://127.0.0.1:8080") == nil)
        #expect(PeerTrust.risk(of: "http://localhost:8080") == nil)
        #expect(PeerTrust.risk(of: "http://[::1]:8080") == nil)
        #expect(PeerTrust.risk(of: "https://venue-b.example") == nil)
        // serve --host: plain HTTP on these warns.
        #expect(!PeerTrust.isLoopback("0.0.0.0") && !PeerTrust.isLoopback("venue.example") && !PeerTrust.isLoopback("::"))
        #expect(PeerTrust.isLoopback("127.0.0.1") && PeerTrust.isLoopback("::1"))
    }

    @Test func aPinIsSHA256OfThirtyTwoBytesAndACAFileMustBeThere() {
        let good = "sha256//" + Data(repeating: 1, count: 32).base64EncodedString()
        #expect(PeerTrust(pins: [good]).problem == nil)
        #expect(PeerTrust(pins: ["sha256//" + Data(repeating: 1, count: 20).base64EncodedString()]).problem != nil)
        #expect(PeerTrust(pins: ["md5//abc"]).problem != nil)
        #expect(PeerTrust(caFile: "/nonexistent/ca.pem").problem?.contains("/nonexistent/ca.pem") == true)
    }

    @Test func aSelfSignedCertificateIsValidForItsNamesAndItsPinIsItsKeys() throws {
        let certificate = try NodeCertificate.selfSigned(nodeID: "venue-a", names: ["localhost", "127.0.0.1", "::1", "venue.example"])
        #expect(certificate.certificatePEM.hasPrefix("-----BEGIN CERTIFICATE-----"))
        #expect(certificate.privateKeyPEM.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        let other = try NodeCertificate.selfSigned(nodeID: "venue-a", names: ["localhost"])
        #expect(certificate.pin != other.pin)
        #expect(PeerTrust(pins: [certificate.pin]).problem == nil)

        // The server reads the files back with the same pin; a key of another certificate stops it.
        let temporary = TemporaryDirectory("server-tls")
        defer { temporary.remove() }
        let (certificateFile, keyFile, otherKey) = (temporary.file("c.pem"), temporary.file("k.pem"), temporary.file("o.pem"))
        try certificate.certificatePEM.write(toFile: certificateFile, atomically: true, encoding: .utf8)
        try certificate.privateKeyPEM.write(toFile: keyFile, atomically: true, encoding: .utf8)
        try other.privateKeyPEM.write(toFile: otherKey, atomically: true, encoding: .utf8)
        #expect(try ServerTLS(certificatePath: certificateFile, keyPath: keyFile).pin == certificate.pin)
        #expect(throws: ServerTLS.SetupError.self) { try ServerTLS(certificatePath: certificateFile, keyPath: otherKey) }
        #expect(throws: ServerTLS.SetupError.self) { try ServerTLS(certificatePath: keyFile, keyPath: keyFile) }
    }
}
