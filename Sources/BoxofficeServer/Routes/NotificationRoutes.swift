import BoxofficeCore
import BoxofficeVenue
import Hummingbird

/// `/notifications`: send (staff), list (the user or staff), mark read.
struct NotificationRoutes {
    let notifications: NotificationService

    struct Message: Decodable {
        var userId: String
        var message: String
        var eventId: String?
    }
    struct Listing: ResponseEncodable {
        var notifications: [Identified<UserNotification>]
        var unread: Int
    }

    func addRoutes(to group: RouterGroup<BoxofficeRequestContext>, dialect: APIDialect) {
        let callers = group.restricted(to: .signedIn)
        let staff = group.restricted(to: .staff)
        staff.post("notifications/send") { request, context -> EditedResponse<Identified<UserNotification>> in
            let sender = try context.requireIdentity()
            var request = request
            let input = try await request.decodeJSON(Message.self, context: context)
            let sent = try await notifications.send(to: input.userId, message: input.message, eventId: input.eventId, by: sender)
            return EditedResponse(status: .created, response: sent)
        }
        // The router wants one parameter name per position: here `:id` is the user's id. Under
        // /api the web app's bare list answers here (WebAppRoutes).
        if dialect == .venue {
            callers.get("notifications/:id") { _, context -> Listing in
                let list = try await notifications.list(for: try context.parameters.require("id"), by: try context.requireIdentity())
                return Listing(notifications: list, unread: list.count { !$0.value.read })
            }
        }
        callers.post("notifications/:id/read") { _, context -> Identified<UserNotification> in
            try await notifications.markRead(context.parameters.require("id"), by: try context.requireIdentity())
        }
    }
}
