import BoxofficeCore
import Hummingbird

/// `/conflicts.json` and the state changes of a conflict record (staff).
struct ConflictRoutes {
    let conflicts: ConflictService

    struct Report: ResponseEncodable {
        var conflicts: [Identified<ConflictRecord>]
        var counts: [String: Int]
    }
    struct Resolution: Decodable { var note: String? }

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
        group.post("conflicts/:id/acknowledge") { _, context -> Identified<ConflictRecord> in
            try await conflicts.handle(context.parameters.require("id"), state: .acknowledged, note: nil, by: try context.requireStaff())
        }
        group.post("conflicts/:id/resolve") { request, context -> Identified<ConflictRecord> in
            let staff = try context.requireStaff()
            var request = request
            let resolution = try await request.decodeJSON(Resolution.self, context: context, absent: Resolution(note: nil))
            return try await conflicts.handle(context.parameters.require("id"), state: .resolved, note: resolution.note, by: staff)
        }
    }
}
