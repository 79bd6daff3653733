import BoxofficeCore
import BoxofficeVenue
import Crypto
import Foundation
import JWTKit

/// The claims of an access token. `userId` duplicates `sub` for clients of the original web app,
/// which read it from the decoded token.
struct AccessTokenClaims: JWTPayload {
    var sub: SubjectClaim
    var userId: String
    var role: Role
    var iat: IssuedAtClaim
    var exp: ExpirationClaim

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }
}

/// Signs and checks access tokens: HS256 JWTs keyed with the cluster secret, so every node of
/// the cluster accepts a token any node issued, once the user has synced.
final class AccessTokens: Sendable {
    private let keys: JWTKeyCollection
    private let lifetime: TimeInterval
    /// Tokens already verified: a client sends the same token on every request.
    private let verified = BoundedCache<String, Verified>(limit: 10_000)

    private struct Verified: Sendable {
        let userId: String
        let expires: Date
    }

    init(secret: String, lifetime: TimeInterval) async {
        keys = JWTKeyCollection()
        // HS256 wants a key of at least 32 bytes: hash the secret to get exactly that from any text.
        let key = SymmetricKey(data: SHA256.hash(data: Data(secret.utf8)))
        await keys.add(hmac: HMACKey(key: key), digestAlgorithm: .sha256)
        self.lifetime = lifetime
    }

    func issue(userId: String, role: Role, now: Date) async throws -> String {
        let claims = AccessTokenClaims(
            sub: SubjectClaim(value: userId),
            userId: userId,
            role: role,
            iat: IssuedAtClaim(value: now),
            exp: ExpirationClaim(value: now.addingTimeInterval(lifetime))
        )
        return try await keys.sign(claims)
    }

    /// The user id a valid, unexpired token names; nil for anything else.
    func userID(from token: String) async -> String? {
        let now = Date()
        if let hit = verified[token] { return hit.expires > now ? hit.userId : nil }
        guard let claims = try? await keys.verify(token, as: AccessTokenClaims.self) else { return nil }
        verified.set(Verified(userId: claims.sub.value, expires: claims.exp.value), for: token)
        return claims.sub.value
    }
}
