import BoxofficeCore
import BoxofficeStore
import BoxofficeSync
import BoxofficeVenue
import Foundation
import Hummingbird

/// What every page shares: the header with who is signed in and their unread count, the CSRF
/// token its forms carry, and on staff pages the status strip (this node, its peers, conflicts).
struct WebShell: Sendable {
    let renderer: PageRenderer
    let session: WebSession
    let notifications: NotificationService
    let conflicts: ConflictService
    let peerStatus: SyncStatusBoard
    let nodeID: String
    let cache = PageCache()

    /// The model every template gets: `title`, `chrome` (the shared parts) and `page` (its own).
    struct Model<Page>: Sendable where Page: Sendable {
        let title: String
        let chrome: Chrome
        let page: Page
    }

    struct Chrome: Sendable, Hashable {
        let signedIn: Bool
        let name: String
        let isStaff: Bool
        let isOrganizer: Bool
        let unread: Int
        let csrf: String
        let strip: StatusStrip?
    }

    struct StatusStrip: Sendable, Hashable {
        struct Peer: Sendable, Hashable {
            let name: String
            let online: Bool
            let lag: String
        }
        let node: String
        let peers: [Peer]
        let openConflicts: Int
    }

    /// Renders `template` with the shared parts for the caller; `staff` adds the status strip.
    func page(
        _ template: String,
        title: String,
        _ page: some Sendable & Hashable,
        context: BoxofficeRequestContext,
        staff: Bool = false,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let identity = context.identity
        var unread = 0
        if let identity { unread = try await notifications.unreadCount(for: identity.userId) }
        let chrome = Chrome(
            signedIn: identity != nil,
            name: identity?.name ?? "",
            isStaff: identity?.isStaff ?? false,
            isOrganizer: identity?.role == .organizer,
            unread: unread,
            csrf: cache.placeholder,
            strip: staff ? try await strip() : nil
        )
        let key = PageCache.Key(template: template, title: title, chrome: chrome, page: AnyHashable(page))
        let html = cache.page(key, token: context.csrfNonce.map(session.csrfToken) ?? "", keep: !(page is any UncachedPage)) {
            renderer.render(template, Model(title: title, chrome: chrome, page: page))
        }
        return PageRenderer.response(html, status: status)
    }

    private func strip() async throws -> StatusStrip {
        let peers = await peerStatus.all.map { peer in
            StatusStrip.Peer(
                name: peer.nodeId ?? peer.url,
                online: peer.lastSuccess != nil && peer.lastError == nil,
                lag: peer.lagVersions.map { "\($0) behind" } ?? "lag unknown"
            )
        }
        let open = try await conflicts.list(ConflictService.Filter(state: .open), limit: 1).total
        return StatusStrip(node: nodeID, peers: peers, openConflicts: open)
    }

    /// The fields of a submitted form, after checking its CSRF token: a form without a valid one
    /// (from another site, or a page older than the browser's cookie) is refused with 403.
    func form(_ request: Request, context: BoxofficeRequestContext) async throws -> [String: String] {
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        let fields: [String: String]
        do {
            fields = try URLEncodedFormDecoder().decode([String: String].self, from: String(buffer: body))
        } catch {
            throw DomainError.invalidField("form", "the form's fields could not be read; reload the page and send it again")
        }
        guard session.isValid(csrf: fields[WebSession.csrfField], nonce: request.cookies[WebSession.nonceCookie]?.value) else {
            throw DomainError.forbidden("this form is out of date or came from another site: reload the page and send it again")
        }
        return fields
    }
}
