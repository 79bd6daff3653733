import BoxofficeCore
import BoxofficeSync
import BoxofficeVenue
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

/// Signs and checks access tokens: EdDSA JWTs signed with the issuing node's own key, its node id
/// as `kid`. Every node checks a token with the issuer's key from the roster (`nodes`), so a token
/// issued anywhere is accepted once the issuer's record and the user have synced, and no longer
/// once the issuer is revoked. No shared secret signs them.
final class AccessTokens: Sendable {
    private let own: JWTKeyCollection
    private let nodeID: String
    private let roster: NodeRoster
    private let lifetime: TimeInterval
    /// Tokens already verified: a client sends the same token on every request.
    private let verified = BoundedCache<String, Verified>(limit: 10_000)

    private struct Verified: Sendable {
        let userId: String
        let expires: Date
        let issuer: String
    }

    init(key: NodeKey, roster: NodeRoster, lifetime: TimeInterval) async {
        own = JWTKeyCollection()
        await own.add(eddsa: EdDSA.PrivateKey(backing: key.privateKey), kid: JWKIdentifier(string: key.nodeID))
        nodeID = key.nodeID
        self.roster = roster
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
        return try await own.sign(claims, kid: JWKIdentifier(string: nodeID))
    }

    /// The user id a valid, unexpired token of a node in good standing names; nil for anything else.
    func userID(from token: String) async -> String? {
        let now = Date()
        if let hit = verified[token] {
            guard hit.expires > now, await stands(hit.issuer) else { return nil }
            return hit.userId
        }
        guard let issuer = Self.issuer(of: token), let keys = await keys(of: issuer),
            let claims = try? await keys.verify(token, as: AccessTokenClaims.self)
        else { return nil }
        verified.set(Verified(userId: claims.sub.value, expires: claims.exp.value, issuer: issuer), for: token)
        return claims.sub.value
    }

    /// This node's keys, or a collection with the issuer's roster key; nil for an unknown or revoked issuer.
    private func keys(of issuer: String) async -> JWTKeyCollection? {
        if issuer == nodeID { return own }
        guard case let .active(publicKey)? = try? await roster.standing(of: issuer) else { return nil }
        return await JWTKeyCollection().add(eddsa: EdDSA.PublicKey(backing: publicKey), kid: JWKIdentifier(string: issuer))
    }

    /// Invariant: this node is never revoked here (a node cannot revoke itself), so its own tokens skip the roster.
    private func stands(_ issuer: String) async -> Bool {
        guard issuer != nodeID else { return true }
        if case .active? = try? await roster.standing(of: issuer) { return true }
        return false
    }

    /// The `kid` of a token's header: the node that issued it.
    private static func issuer(of token: String) -> String? {
        guard let header = token.split(separator: ".").first else { return nil }
        var base64 = header.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        struct Header: Decodable { var kid: String? }
        return Data(base64Encoded: base64).flatMap { try? JSONDecoder().decode(Header.self, from: $0).kid }
    }
}
