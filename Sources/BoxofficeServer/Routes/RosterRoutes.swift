import BoxofficeCore
import BoxofficeVenue
import Hummingbird

/// `/nodes`: the cluster's roster as this node knows it, and revocation (organizers).
struct RosterRoutes {
    let roster: NodeRoster

    struct Roster: ResponseEncodable {
        var nodes: [NodeRoster.Entry]
    }

    struct Revocation: Decodable {
        var note: String?
    }
}

extension NodeRoster.Entry: ResponseEncodable {}

extension RosterRoutes {

    func addRoutes(to group: RouterGroup<BoxofficeRequestContext>) {
        let organizers = group.restricted(to: .organizer)
        organizers.get("nodes") { _, _ -> Roster in
            Roster(nodes: try await roster.list())
        }
        organizers.post("nodes/:id/revoke") { request, context -> NodeRoster.Entry in
            var request = request
            let revocation = try await request.decodeJSON(Revocation.self, context: context, absent: Revocation())
            return try await roster.revoke(try context.parameters.require("id"), by: try context.requireIdentity().userId, note: revocation.note)
        }
    }
}
