import BoxofficeCore
import BoxofficeStore
import BoxofficeVenue
import Foundation
import Hummingbird

/// `GET /conflicts`: the conflict report as a page for staff signed in on the web pages (their
/// status strip links here), and its forms to acknowledge or resolve a conflict. The session
/// cookie identifies the staff member: no token is ever put in the page or a URL, and the forms
/// carry the CSRF token like every other form.
struct ConflictPageRoutes {
    let conflicts: ConflictService
    let store: any VersionedStore
    let shell: WebShell

    func addRoutes(to group: RouterGroup<BoxofficeRequestContext>) {
        let staff = group.restricted(to: .staff)
        staff.get("conflicts") { request, context -> Response in
            let query = request.uri.queryParameters
            let filter = ConflictService.Filter(
                kind: query["kind"].map(String.init)?.nilIfEmpty,
                eventId: query["eventId"].map(String.init)?.nilIfEmpty,
                eventName: query["event"].map(String.init)?.nilIfEmpty,
                state: query["state"].flatMap { ConflictRecord.State(rawValue: String($0)) }
            )
            // A stale link (its cursor gone, say) shows the first page rather than an error.
            let cursor = query["cursor"].map(String.init)?.nilIfEmpty
            // `first`: the number of the page's first conflict, for "Conflicts 51–100 of 168".
            var listing: ConflictService.Listing
            var first = query["first"].flatMap { Int(String($0)) }.map { max(1, $0) } ?? 1
            do {
                listing = try await conflicts.list(filter, after: cursor)
            } catch DomainError.invalidField {
                listing = try await conflicts.list(filter)
                first = 1
            }
            if cursor == nil { first = 1 }
            var standing: [String: Document] = [:]
            for entry in listing.entries {
                standing[entry.id] = try await store.get(entry.record.collection, entry.record.standingDocumentId)
            }
            let page = ConflictReportPage(node: store.nodeID, filter: filter, listing: listing, first: first, standing: standing)
            return try await shell.page("conflicts", title: "Conflict report", page, context: context, staff: true)
        }
        staff.post("web/conflicts/:id/acknowledge") { request, context -> Response in
            try await handle(request, context, state: .acknowledged)
        }
        staff.post("web/conflicts/:id/resolve") { request, context -> Response in
            try await handle(request, context, state: .resolved)
        }
    }

    /// A form from the report: the new state (and a resolution's note), then back to the report.
    private func handle(_ request: Request, _ context: BoxofficeRequestContext, state: ConflictRecord.State) async throws -> Response {
        let form = try await shell.form(request, context: context)
        let staff = try context.requireIdentity()
        let note = state == .resolved ? form["note"]?.trimmingCharacters(in: .whitespaces).nilIfEmpty : nil
        _ = try await conflicts.handle(context.parameters.require("id"), state: state, note: note, by: staff)
        return Response(status: .seeOther, headers: [.location: "/conflicts"])
    }
}
