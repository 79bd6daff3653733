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
    let now: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<BoxofficeRequestContext>) {
        let staff = group.restricted(to: .staff)
        staff.get("conflicts") { request, context -> Response in
            let filter = ConflictService.Filter(
                kind: request.uri.queryParameters["kind"].map(String.init)?.nilIfEmpty,
                eventId: request.uri.queryParameters["eventId"].map(String.init)?.nilIfEmpty,
                state: request.uri.queryParameters["state"].flatMap { ConflictRecord.State(rawValue: String($0)) }
            )
            let found = try await conflicts.list(filter)
            var standing: [String: Document] = [:]
            for conflict in found.conflicts {
                standing[conflict.id] = try await store.get(conflict.value.collection, conflict.value.standingDocumentId)
            }
            let page = ConflictReportPage(
                node: store.nodeID,
                filter: filter,
                conflicts: found.conflicts,
                counts: found.counts,
                standing: standing,
                now: now()
            )
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
