import BoxofficeCore
import Crypto
import Foundation
import Hummingbird

/// Browser sessions of the web pages. The session cookie holds an access token (the same JWT the
/// API issues), `HttpOnly` and `SameSite=Strict`. Every form that changes something carries a CSRF
/// token: an HMAC, keyed with the cluster secret, of a random per-browser nonce kept in a second
/// cookie (signed double submit), so another site can neither read nor forge it.
struct WebSession: Sendable {
    static let sessionCookie = "boxoffice_session"
    static let nonceCookie = "boxoffice_csrf"
    /// The form field that carries the CSRF token.
    static let csrfField = "csrf"
    private let key: SymmetricKey
    /// Served over HTTPS: cookies carry `Secure`, so a browser never sends them in clear.
    private let secureCookies: Bool

    init(secret: String, secureCookies: Bool) {
        key = SymmetricKey(data: SHA256.hash(data: Data(("web-csrf\u{0}" + secret).utf8)))
        self.secureCookies = secureCookies
    }

    /// The CSRF token that forms of the browser holding `nonce` carry.
    func csrfToken(nonce: String) -> String {
        let digits = Array("0123456789abcdef".utf8)
        let code = HMAC<SHA256>.authenticationCode(for: Data(nonce.utf8), using: key)
        return String(decoding: code.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] }, as: UTF8.self)
    }

    /// Whether `token` is the CSRF token of the browser that sent the nonce cookie.
    func isValid(csrf token: String?, nonce: String?) -> Bool {
        guard let token, let nonce, !nonce.isEmpty else { return false }
        return ConstantTime.equal(token, csrfToken(nonce: nonce))
    }

    /// A cookie only this site's pages send back, never readable from scripts.
    func cookie(_ name: String, _ value: String, maxAge: Int) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: secureCookies, httpOnly: true, sameSite: .strict)
    }
}
