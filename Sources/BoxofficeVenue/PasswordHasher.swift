import HummingbirdBcrypt
import NIOPosix

/// bcrypt, run on NIO's blocking thread pool so a hash never stalls an event loop.
package struct PasswordHasher: Sendable {
    package let cost: UInt8

    package init(cost: UInt8) {
        self.cost = cost
    }

    /// A hash of a password no one has, to spend the same time on unknown emails as on known ones.
    private static let decoy = Bcrypt.hash("boxoffice-decoy-password", cost: 10)

    package func hash(_ password: String) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// Checks `password` against `hash`; with no hash (unknown account) it checks a decoy and fails.
    package func verify(_ password: String, against hash: String?) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive {
            let matches = Bcrypt.verify(password, hash: hash ?? Self.decoy)
            return matches && hash != nil
        }
    }
}
