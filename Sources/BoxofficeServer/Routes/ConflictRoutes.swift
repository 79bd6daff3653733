import BoxofficeCore
import BoxofficeVenue
import Hummingbird

/// `/conflicts.json` and the state changes of a conflict record (staff, bearer token). The
/// report page has its own form routes (`ConflictPageRoutes`).
struct ConflictRoutes {
    let conflicts: ConflictService

    /// A page of the report: newest first, `limit` (default 50) after `cursor`.
    struct Report: ResponseEncodable {
        var conflicts: [ConflictService.Entry]
        var counts: [String: Int]
        var total: Int
        var nextCursor: String?
    }

    func addRoutes(to group: RouterGroup<BoxofficeRequestContext>) {
        let staff = group.restricted(to: .staff)
        staff.get("conflicts.json") { request, context -> Report in
            let filter = ConflictService.Filter(
                kind: request.uri.queryParameters["kind"].map(String.init)?.nilIfEmpty,
                eventId: request.uri.queryParameters["eventId"].map(String.init)?.nilIfEmpty,
                eventName: request.uri.queryParameters["event"].map(String.init)?.nilIfEmpty,
                state: try request.query("state", "open, acknowledged or resolved") { ConflictRecord.State(rawValue: $0) }
            )
            let limit = try request.limit(default: ConflictService.pageSize, max: ConflictService.maxPageSize)
            let cursor = request.uri.queryParameters["cursor"].map(String.init)?.nilIfEmpty
            let found = try await conflicts.list(filter, limit: limit, after: cursor)
            return Report(conflicts: found.entries, counts: found.counts, total: found.total, nextCursor: found.next)
        }
        staff.post("conflicts/:id/acknowledge") { request, context -> Response in
            try await handle(request, context, state: .acknowledged)
        }
        staff.post("conflicts/:id/resolve") { request, context -> Response in
            try await handle(request, context, state: .resolved)
        }
    }

    struct Resolution: Decodable {
        var note: String?
    }

    /// Answers with the record in its new state.
    private func handle(_ request: Request, _ context: BoxofficeRequestContext, state: ConflictRecord.State) async throws -> Response {
        var request = request
        let id = try context.parameters.require("id")
        let staff = try context.requireIdentity()
        let resolution = try await request.decodeJSON(Resolution.self, context: context, absent: Resolution(note: nil))
        let record = try await conflicts.handle(id, state: state, note: state == .resolved ? resolution.note : nil, by: staff)
        return try record.response(from: request, context: context)
    }
}
extension ConflictService.Entry: ResponseEncodable {}
