import BoxofficeCore
import BoxofficeStore
import BoxofficeSync
import Foundation
import Hummingbird
import NIOHTTP1

/// An RFC 9457 problem: what every error of the API looks like on the wire
/// (`application/problem+json`).
struct ProblemDetails: Encodable, Sendable {
    var type: String
    var title: String
    var status: Int
    var detail: String
    var instance: String?
    /// The request field at fault, for validation problems.
    var field: String?
    /// Seats still available, for a sale that asked for more.
    var available: Int?
    /// Seconds to wait before trying again, for a 429 (sent as `Retry-After` too).
    var retryAfter: Int?
    /// `detail` again, under `/api` only: the original web app shows `error.response.data.msg`.
    var msg: String?
    /// Headers the error carries to every answer made of it (`Allow` on a 405); not in the body.
    var headers: HTTPFields = [:]

    private enum CodingKeys: String, CodingKey {
        case type, title, status, detail, instance, field, available, retryAfter, msg
    }

    /// The one mapping from errors to HTTP: domain errors to their status, validation errors to
    /// 4xx, an unavailable store to 503; anything unforeseen is a 500 that hides its internals.
    init(_ error: any Error, instance: String?) {
        switch error {
        case let error as DomainError:
            self.init(domain: error)
        case let error as DocumentError:
            self.init(document: error)
        case let error as SignatureError:
            let (slug, status): (String, HTTPResponse.Status) =
                switch error {
                case .unknownNode: ("unknown-node", .unauthorized)
                case .revoked: ("node-revoked", .forbidden)
                case .outsideWindow: ("signature-outside-window", .unauthorized)
                case .replayed: ("replayed-signature", .unauthorized)
                case .missing, .malformed, .digestMismatch, .badSignature: ("bad-signature", .unauthorized)
                }
            self.init(slug: slug, status: status, detail: error.description)
        case let error as SyncError:
            let beyond = if case .sinceBeyondFeed = error { true } else { false }
            self.init(slug: beyond ? "since-beyond-feed" : "bad-sync-request", status: beyond ? .conflict : .badRequest, detail: error.description)
        case HTTPParserError.headerOverflow:
            self.init(
                slug: "bad-request",
                status: .badRequest,
                detail: "the request head is over the limit: a URL or header too long, or too many headers"
            )
        case let error as HTTPParserError:
            // The client's bytes, not the node: most often a client that hung up mid-body.
            self.init(slug: "bad-request", status: .badRequest, detail: "the request could not be read: \(error.debugDescription)")
        case let error as StoreError:
            self.init(slug: "unavailable", status: .serviceUnavailable, detail: "the node cannot store data right now: \(error)")
        case let error as any HTTPResponseError:
            // Hummingbird's own: an unknown route, a body over the limit (NIOTooManyBytesError), …
            let detail = (error as? HTTPError)?.body ?? Self.defaultDetail(error.status, instance: instance)
            self.init(slug: error.status == .notFound ? "not-found" : "http-\(error.status.code)", status: error.status, detail: detail)
        default:
            self.init(slug: "internal", status: .internalServerError, detail: "the node hit an unexpected error; it has been logged")
        }
        self.instance = instance
        if instance?.hasPrefix("/api/") == true { msg = detail }
        if let error = error as? HTTPError { headers = error.headers }
    }

    private init(slug: String, status: HTTPResponse.Status, detail: String, field: String? = nil, available: Int? = nil) {
        self.type = "/problems/\(slug)"
        self.title = status.reasonPhrase
        self.status = status.code
        self.detail = detail
        self.field = field
        self.available = available
    }

    /// The status and type of each domain error; its words are `DomainError.description`.
    private init(domain error: DomainError) {
        let (slug, status): (String, HTTPResponse.Status) =
            switch error {
            case .invalidField: ("invalid-field", .badRequest)
            case .unprocessable: ("unprocessable", .unprocessableContent)
            case .notFound: ("not-found", .notFound)
            case .unauthenticated: ("unauthenticated", .unauthorized)
            case .invalidCredentials: ("invalid-credentials", .unauthorized)
            case .forbidden: ("forbidden", .forbidden)
            case .emailTaken: ("email-taken", .conflict)
            case .notEnoughSeats: ("not-enough-seats", .conflict)
            case .eventCancelled: ("event-cancelled", .conflict)
            case .ticketAlreadyCancelled: ("ticket-cancelled", .conflict)
            case .ticketUsed: ("ticket-used", .conflict)
            case .alreadyCheckedIn: ("already-checked-in", .conflict)
            case .duplicateAccount: ("duplicate-account", .conflict)
            case .conflictResolved: ("conflict-resolved", .conflict)
            case .ticketNotValid: ("ticket-not-valid", .gone)
            case .holdExpired: ("hold-expired", .gone)
            case .holdReleased: ("hold-released", .gone)
            case .holdConfirmed: ("hold-confirmed", .conflict)
            case .holdOnAnotherNode: ("hold-on-another-node", .conflict)
            case .conflictsWithState: ("state-conflict", .conflict)
            case .tooManyAttempts: ("too-many-attempts", .tooManyRequests)
            case .idempotencyKeyReused: ("idempotency-key-reused", .unprocessableContent)
            }
        let field: String? =
            switch error {
            case let .invalidField(field, _), let .unprocessable(field, _), let .conflictsWithState(field, _): field
            case .emailTaken, .duplicateAccount: "email"
            default: nil
            }
        var available: Int?
        if case let .notEnoughSeats(_, seats) = error { available = seats }
        self.init(slug: slug, status: status, detail: error.description, field: field, available: available)
        if case let .tooManyAttempts(seconds) = error { retryAfter = seconds }
    }

    private init(document error: DocumentError) {
        switch error {
        case let .invalidIdentifier(field, _):
            self.init(slug: "invalid-field", status: .badRequest, detail: error.description, field: field)
        case .bodyTooLarge:
            self.init(slug: "too-large", status: .contentTooLarge, detail: error.description)
        case .bodyNotAnObject:
            self.init(slug: "invalid-document", status: .badRequest, detail: error.description)
        case .clockSkew:
            // Well formed, but this node's clock cannot take it: the sender's clock is wrong.
            self.init(slug: "clock-skew", status: .unprocessableContent, detail: error.description)
        }
    }

    private static func defaultDetail(_ status: HTTPResponse.Status, instance: String?) -> String {
        switch status {
        case .notFound: return "no such route: \(instance ?? "")"
        case .contentTooLarge: return "the request body is larger than 1 MiB"
        case .methodNotAllowed: return "this route does not take that method"
        default: return status.reasonPhrase
        }
    }

    var httpStatus: HTTPResponse.Status { HTTPResponse.Status(code: status) }

    /// The problem as the bytes of its JSON body.
    var json: Data { (try? JSONCoding.makeEncoder().encode(self)) ?? Data(#"{"status":500}"#.utf8) }

    func response() -> Response {
        let body = json
        var headers = headers
        headers[.contentType] = "application/problem+json"
        if status == 401 { headers[.wwwAuthenticate] = "Bearer" }
        if let retryAfter { headers[.retryAfter] = "\(retryAfter)" }
        return Response(status: httpStatus, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
