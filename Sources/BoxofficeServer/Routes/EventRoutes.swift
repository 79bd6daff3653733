import BoxofficeCore
import BoxofficeVenue
import Foundation
import Hummingbird

/// `/events`: create, list, show, edit, cancel.
struct EventRoutes {
    let events: EventService
    let seats: SeatService
    /// The venue's: a day in a listing's `from` or `to` is a day here.
    let timeZone: TimeZone

    struct Transfer: Decodable {
        var to: String
        var seats: Int
    }

    struct Reclaim: Decodable {
        var node: String
    }

    struct Reclaimed: ResponseEncodable {
        var event: EventView
        var node: String
        var seats: Int
    }

    struct Page: ResponseEncodable {
        var events: [EventView]
        /// Pass as `cursor` for the next page; absent on the last page.
        var nextCursor: String?
    }

    func addRoutes(to group: RouterGroup<BoxofficeRequestContext>, dialect: APIDialect) {
        let staff = group.restricted(to: .staff)
        let organizers = group.restricted(to: .organizer)
        // Under /api the web app's own answers take these two paths (WebAppRoutes).
        if dialect == .venue {
            organizers.post("events") { request, context -> EditedResponse<EventView> in
                let organizer = try context.requireIdentity()
                var request = request
                let input = try await request.decodeJSON(EventInput.self, context: context)
                return EditedResponse(status: .created, response: try await events.create(input, by: organizer))
            }
            group.get("events") { request, _ -> Page in
                let page = try await EventQuery(request, defaultLimit: 20, timeZone: timeZone).page(of: events)
                return Page(events: page.events, nextCursor: page.next?.token)
            }
        }
        group.get("events/:id") { _, context -> Response in
            let json = try await events.encodedView(context.parameters.require("id"))
            return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: json)))
        }
        organizers.patch("events/:id") { request, context -> EventView in
            let organizer = try context.requireIdentity()
            var request = request
            let input = try await request.decodeJSON(EventInput.self, context: context)
            return try await events.update(context.parameters.require("id"), with: input, by: organizer)
        }
        staff.post("events/:id/allocations/transfer") { request, context -> EventView in
            var request = request
            let transfer = try await request.decodeJSON(Transfer.self, context: context)
            return try await seats.transfer(event: context.parameters.require("id"), seats: transfer.seats, to: transfer.to, events: events)
        }
        // An organizer's decision that a node offline here is not coming back (sync-spec 10.4).
        organizers.post("events/:id/allocations/reclaim") { request, context -> Reclaimed in
            var request = request
            let reclaim = try await request.decodeJSON(Reclaim.self, context: context)
            let (view, seats) = try await seats.reclaim(event: context.parameters.require("id"), from: reclaim.node, events: events)
            return Reclaimed(event: view, node: reclaim.node, seats: seats)
        }
        organizers.post("events/:id/cancel") { _, context -> EventView in
            try await events.cancel(context.parameters.require("id"), by: try context.requireIdentity())
        }
    }
}

extension EventView: ResponseEncodable {}
