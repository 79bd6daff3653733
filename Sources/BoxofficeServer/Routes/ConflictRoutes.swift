import BoxofficeCore
import Hummingbird

/// `/conflicts.json` and the state changes of a conflict record (staff).
struct ConflictRoutes {
    let conflicts: ConflictService
    let page: ConflictPageRoutes

    struct Report: ResponseEncodable {
        var conflicts: [Identified<ConflictRecord>]
        var counts: [String: Int]
    }

    func addRoutes(to group: RouterGroup<BoxofficeRequestContext>) {
        group.get("conflicts.json") { request, context -> Report in
            _ = try context.requireStaff()
            let filter = ConflictService.Filter(
                kind: request.uri.queryParameters["kind"].map(String.init),
                eventId: request.uri.queryParameters["eventId"].map(String.init),
                state: try request.query("state", "open, acknowledged or resolved") { ConflictRecord.State(rawValue: $0) })
            let found = try await conflicts.list(filter)
            return Report(conflicts: found.conflicts, counts: found.counts)
        }
        group.post("conflicts/:id/acknowledge") { request, context -> Response in
            try await handle(request, context, state: .acknowledged)
        }
        group.post("conflicts/:id/resolve") { request, context -> Response in
            try await handle(request, context, state: .resolved)
        }
    }

    struct Resolution: Decodable {
        var note: String?
        /// Set by the page's forms, which cannot send an Authorization header.
        var token: String?
    }

    /// An API call (JSON, bearer token) answers with the record; a form post from the report page
    /// (its token in the form) goes back to the page.
    private func handle(_ request: Request, _ context: BoxofficeRequestContext, state: ConflictRecord.State) async throws -> Response {
        var request = request
        let id = try context.parameters.require("id")
        if request.headers[.contentType]?.hasPrefix("application/x-www-form-urlencoded") == true {
            let form = try await URLEncodedFormDecoder().decode(Resolution.self, from: request, context: context)
            guard let token = form.token, let staff = try await page.staff(token: token) else {
                throw DomainError.unauthenticated("the page's sign-in has expired; open /conflicts and sign in again")
            }
            let note = form.note.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
            _ = try await conflicts.handle(id, state: state, note: note, by: staff)
            return ConflictPageRoutes.redirect(to: "/conflicts?token=\(token)")
        }
        let staff = try context.requireStaff()
        let resolution = try await request.decodeJSON(Resolution.self, context: context, absent: Resolution(note: nil, token: nil))
        let record = try await conflicts.handle(id, state: state, note: state == .resolved ? resolution.note : nil, by: staff)
        return try record.response(from: request, context: context)
    }
}
