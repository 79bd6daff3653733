import BoxofficeCore
import BoxofficeStore
import BoxofficeSync
import Foundation
import Hummingbird

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
    /// `detail` again, under `/api` only: the original web app shows `error.response.data.msg`.
    var msg: String?

    /// The one mapping from errors to HTTP: domain errors to their status, validation errors to
    /// 4xx, an unavailable store to 503; anything unforeseen is a 500 that hides its internals.
    init(_ error: any Error, instance: String?) {
        switch error {
        case let error as DomainError:
            self.init(domain: error)
        case let error as DocumentError:
            self.init(document: error)
        case let error as SyncError:
            self.init(slug: "bad-sync-request", status: .badRequest, detail: error.description)
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
    }

    private init(slug: String, status: HTTPResponse.Status, detail: String, field: String? = nil, available: Int? = nil) {
        self.type = "/problems/\(slug)"
        self.title = status.reasonPhrase
        self.status = status.code
        self.detail = detail
        self.field = field
        self.available = available
    }

    private init(domain error: DomainError) {
        switch error {
        case let .invalidField(field, detail):
            self.init(slug: "invalid-field", status: .badRequest, detail: detail, field: field)
        case let .notFound(kind, id):
            self.init(slug: "not-found", status: .notFound, detail: "no \(kind) with id \"\(id)\"")
        case let .unauthenticated(detail):
            self.init(slug: "unauthenticated", status: .unauthorized, detail: detail)
        case .invalidCredentials:
            self.init(slug: "invalid-credentials", status: .unauthorized, detail: "wrong email or password")
        case let .forbidden(detail):
            self.init(slug: "forbidden", status: .forbidden, detail: detail)
        case .emailTaken:
            self.init(slug: "email-taken", status: .conflict, detail: "an account with this email already exists", field: "email")
        case let .notEnoughSeats(requested, available):
            let detail = available == 0 ? "sold out" : "only \(available) seat\(available == 1 ? "" : "s") left; \(requested) requested"
            self.init(slug: "not-enough-seats", status: .conflict, detail: detail, available: available)
        case let .eventCancelled(eventId):
            self.init(slug: "event-cancelled", status: .conflict, detail: "event \"\(eventId)\" is cancelled")
        case let .ticketAlreadyCancelled(ticketId):
            self.init(slug: "ticket-cancelled", status: .conflict, detail: "ticket \"\(ticketId)\" is already cancelled")
        case let .ticketUsed(ticketId):
            self.init(slug: "ticket-used", status: .conflict, detail: "ticket \"\(ticketId)\" was scanned at the door; a used ticket cannot be cancelled")
        case let .alreadyCheckedIn(date, node, gate):
            let place = gate.map { "gate \($0) on node \(node)" } ?? "node \(node)"
            self.init(slug: "already-checked-in", status: .conflict, detail: "already checked in at \(date.formatted(.iso8601)) at \(place)")
        case let .duplicateAccount(holder):
            self.init(
                slug: "duplicate-account", status: .conflict,
                detail: "this email was registered earlier on another venue's node (account \(holder)); this account is a duplicate and cannot sign in until staff resolve it",
                field: "email")
        case let .conflictResolved(id):
            self.init(slug: "conflict-resolved", status: .conflict, detail: "conflict \(id) is resolved already; it does not go back to acknowledged")
        case let .ticketNotValid(code, status):
            self.init(slug: "ticket-not-valid", status: .gone, detail: "ticket \(code) is \(status) and admits no one")
        case let .holdExpired(holdId, date):
            self.init(
                slug: "hold-expired", status: .gone,
                detail: "reservation \"\(holdId)\" expired at \(date.formatted(.iso8601)) and its seats went back on sale; hold seats again")
        case let .holdReleased(holdId):
            self.init(slug: "hold-released", status: .gone, detail: "reservation \"\(holdId)\" was released; hold seats again")
        case let .holdConfirmed(holdId):
            self.init(
                slug: "hold-confirmed", status: .conflict,
                detail: "reservation \"\(holdId)\" is already confirmed; cancel its tickets instead")
        case let .holdOnAnotherNode(holdId, node):
            self.init(
                slug: "hold-on-another-node", status: .conflict,
                detail: "reservation \"\(holdId)\" holds seats of node \(node); confirm or release it there")
        case .idempotencyKeyReused:
            self.init(
                slug: "idempotency-key-reused", status: .unprocessableContent,
                detail: "this Idempotency-Key was already used with a different request")
        }
    }

    private init(document error: DocumentError) {
        switch error {
        case let .invalidIdentifier(field, _):
            self.init(slug: "invalid-field", status: .badRequest, detail: error.description, field: field)
        case .bodyTooLarge:
            self.init(slug: "too-large", status: .contentTooLarge, detail: error.description)
        case .bodyNotAnObject, .clockSkew:
            self.init(slug: "invalid-document", status: .badRequest, detail: error.description)
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

    func response() -> Response {
        let body = (try? JSONCoding.makeEncoder().encode(self)) ?? Data(#"{"status":500}"#.utf8)
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if status == 401 { headers[.wwwAuthenticate] = "Bearer" }
        return Response(status: httpStatus, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
