import BoxofficeCore
import BoxofficeServer
import BoxofficeTestSupport
import BoxofficeVenue
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The original React web app against a node: every request its client's code makes under `/api`
/// gets the answer it reads, and the unprefixed paths keep the venue API's own contract.
@Suite struct WebAppCompatibilityTests {
    /// One request of the fixture file, as the web app sends it, and what it reads of the answer.
    struct Step: Decodable {
        var name: String
        var source: String
        var method: String
        var path: String
        var headers: [String: String]
        var body: JSONValue?
        var status: Int
        var reads: [String]
        var expect: [String: JSONValue]?
        var capture: [String: String]?
    }

    static func steps() throws -> [Step] {
        let url = try #require(Bundle.module.url(forResource: "webapp-requests", withExtension: "json", subdirectory: "Fixtures"))
        struct File: Decodable { var steps: [Step] }
        return try JSONDecoder().decode(File.self, from: Data(contentsOf: url)).steps
    }

    /// Sends `method path` with a bare token, as the web app does, and decodes the answer.
    static func send(
        _ client: some TestClientProtocol,
        _ method: HTTPRequest.Method,
        _ path: String,
        token: String? = nil,
        json: JSONValue? = nil
    ) async throws -> (status: Int, body: JSONValue, headers: HTTPFields) {
        try await client.send(method, path, authorization: token, json: json)
    }

    @Test func everyRequestOfTheWebAppGetsWhatItsCodeReads() async throws {
        try await TestNode.run { _, client in
            var captured: [String: String] = [:]
            func fill(_ text: String) -> String {
                captured.reduce(text) { $0.replacingOccurrences(of: "{{\($1.key)}}", with: $1.value) }
            }
            for step in try Self.steps() {
                var headers = HTTPFields()
                for (name, value) in step.headers { headers[try #require(HTTPField.Name(name))] = fill(value) }
                let body = try step.body.map { ByteBuffer(bytes: try JSONEncoder().encode($0.mapStrings(fill))) }
                let (status, json) = try await client.execute(
                    uri: fill(step.path),
                    method: try #require(HTTPRequest.Method(step.method)),
                    headers: headers,
                    body: body
                ) {
                    (Int($0.status.code), (try? JSONDecoder().decode(JSONValue.self, from: Data(buffer: $0.body))) ?? .null)
                }
                #expect(status == step.status, "\(step.name) (\(step.source)): \(json)")
                for field in step.reads {
                    #expect(json[field] != nil && json[field] != .null, "\(step.name) reads \(field): \(json)")
                }
                for (field, expected) in step.expect ?? [:] {
                    #expect(json[field] == expected.mapStrings(fill), "\(step.name): \(field) in \(json)")
                }
                for (name, field) in step.capture ?? [:] { captured[name] = json[field]?.string }
            }
            // The client decodes the token in the browser and sends its `userId` with a purchase.
            let payload = try #require(captured["token"]?.split(separator: ".").dropFirst().first)
            var base64 = payload.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
            let claims = try JSONDecoder().decode(JSONValue.self, from: try #require(Data(base64Encoded: base64)))
            #expect(claims["userId"]?.string == captured["userId"])
        }
    }

    @Test func theTicketListShowsSeatsForSaleAndSoldTicketsWithoutHolderData() async throws {
        try await TestNode.run { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let event = try await client.createEvent(token: organizer, capacity: 2)
            let ada = try await client.register("Ada", "ada@example.com")
            let bo = try await client.register("Bo", "bo@example.com")
            let listed = try await Self.send(client, .get, "/api/tickets/\(event)")
            let offers = try #require(listed.body.array).compactMap { $0["_id"]?.string }
            #expect(offers.count == 2 && listed.body.array?.allSatisfy { $0["available"] == .bool(true) } == true)
            // Two offers are two seats: a buyer on each.
            for (buyer, offer) in zip([ada, bo], offers) {
                let sold = try await Self.send(
                    client,
                    .post,
                    "/api/tickets/purchase",
                    token: buyer.token,
                    json: ["ticketId": .string(offer), "userId": .string(buyer.id)]
                )
                #expect(sold.status == 201, "\(sold.body)")
            }
            let after = try #require(try await Self.send(client, .get, "/api/tickets/\(event)").body.array)
            #expect(
                after.count == 2
                    && after.allSatisfy { $0["available"] == .bool(false) && $0["purchasedAt"]?.string != nil && $0["price"] == .number(25.5) }
            )
            for entry in after {
                let keys = Set(entry.object.map { Array($0.keys) } ?? [])
                #expect(keys.isDisjoint(with: ["holderName", "holderEmail", "code", "userId", "soldByUser"]), "\(entry)")
            }
            // Sold out: a fresh buyer on a stale offer hears why, in `msg`.
            let cy = try await client.register("Cy", "cy@example.com")
            let late = try await Self.send(
                client,
                .post,
                "/api/tickets/purchase",
                token: cy.token,
                json: ["ticketId": .string(offers[0]), "userId": .string(cy.id)]
            )
            #expect(late.status == 409 && late.body["msg"] == .string("sold out"), "\(late.body)")
            // A sold ticket's id is not for sale.
            let soldID = try #require(after.first?["_id"]?.string)
            let taken = try await Self.send(
                client,
                .post,
                "/api/tickets/purchase",
                token: cy.token,
                json: ["ticketId": .string(soldID), "userId": .string(cy.id)]
            )
            #expect(taken.status == 400 && taken.body["msg"]?.string?.contains("not for sale") == true, "\(taken.body)")
            let anonymous = try await Self.send(
                client,
                .post,
                "/api/tickets/purchase",
                json: ["ticketId": .string(offers[0]), "userId": .string(cy.id)]
            )
            #expect(anonymous.status == 401 && anonymous.body["msg"]?.string != nil)
        }
    }

    @Test func aPurchaseIsTheCallersOnlyAndARepeatOfACancelledOneSellsNothing() async throws {
        try await TestNode.run { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let event = try await client.createEvent(token: organizer, capacity: 5)
            let ada = try await client.register("Ada", "ada@example.com")
            let offer = try #require(try await Self.send(client, .get, "/api/tickets/\(event)").body[0]?["_id"]?.string)
            // The client sends `userId: null` when it cannot decode its token: not the caller.
            let unknown = try await Self.send(
                client,
                .post,
                "/api/tickets/purchase",
                token: ada.token,
                json: ["ticketId": .string(offer), "userId": nil]
            )
            #expect(unknown.status == 403 && unknown.body["msg"] == "userId must be the id of the signed-in user")
            let bought = try await Self.send(
                client,
                .post,
                "/api/tickets/purchase",
                token: ada.token,
                json: ["ticketId": .string(offer), "userId": .string(ada.id)]
            )
            let ticket = try #require(bought.body["_id"]?.string)
            // A staff message after the sale: the profile page lists it first.
            let staff = try await client.login("sam@venue.test", "staff-pw-1")
            _ = try await client.call(
                .post,
                "/notifications/send",
                token: staff,
                json: ["userId": .string(ada.id), "message": "Doors open at 19:00"]
            )
            let inbox = try await Self.send(client, .get, "/api/notifications/\(ada.id)", token: ada.token)
            #expect(inbox.body.array?.compactMap { $0["message"]?.string } == ["Doors open at 19:00", "1 ticket for Jazz Night"])

            #expect(try await client.call(.post, "/tickets/\(ticket)/cancel", token: ada.token).status == .ok)
            let profile = try await Self.send(client, .get, "/api/users/profile", token: ada.token)
            #expect(profile.body["events"] == [], "a cancelled ticket holds no event")
            let listed = try #require(try await Self.send(client, .get, "/api/tickets/\(event)").body.array)
            #expect(listed.allSatisfy { $0["available"] == .bool(true) } && listed.count == 5, "the seat is for sale again")
            let again = try await Self.send(
                client,
                .post,
                "/api/tickets/purchase",
                token: ada.token,
                json: ["ticketId": .string(offer), "userId": .string(ada.id)]
            )
            #expect(again.status == 409 && again.body["msg"]?.string?.contains("already cancelled") == true, "\(again.body)")
            #expect(try await Self.send(client, .get, "/api/events/\(event)").body["sold"] == 0)
        }
    }

    @Test func soldEntriesComeNewestFirstUpToTheLimit() async throws {
        try await TestNode.run { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let event = try await client.createEvent(token: organizer, capacity: 3)
            var sold: [String] = []
            for name in ["Ada", "Bo", "Cy"] {
                let buyer = try await client.register(name, "\(name.lowercased())@example.com")
                sold.append(
                    try await Self.send(client, .post, "/api/tickets/", token: buyer.token, json: ["eventId": .string(event), "quantity": 1]).body[
                        "tickets"
                    ]?[0]?["_id"]?.string ?? ""
                )
            }
            #expect(try await Self.send(client, .get, "/api/tickets/\(event)").body.array?.compactMap { $0["_id"]?.string } == sold.reversed())
            #expect(try await Self.send(client, .get, "/api/tickets/\(event)?limit=1").body.array?.compactMap { $0["_id"]?.string } == [sold[2]])
            #expect(try await Self.send(client, .get, "/api/tickets/\(event)?limit=0").status == 400)
        }
    }

    @Test func aPastEventOffersNothingAndAShortNodeNotesTheDemand() async throws {
        let demand = SeatDemand()
        try await TestNode.run(demand: demand) { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let past = try await client.createEvent(token: organizer, date: "2020-01-01T20:00:00Z")
            #expect(try await Self.send(client, .get, "/api/tickets/\(past)").body == [])
            let form: JSONValue = ["name": "Yesterday", "description": "", "date": "2020-01-01", "location": "Hall"]
            let refused = try await Self.send(client, .post, "/api/events/", token: organizer, json: form)
            #expect(refused.status == 422 && refused.body["msg"] == "date is in the past")
            // Every seat is another venue's: nothing to offer here, and the node asks its peers.
            let elsewhere = try await Self.send(
                client,
                .post,
                "/events",
                token: "Bearer \(organizer)",
                json: [
                    "name": "Far", "description": "", "date": "2031-05-01T20:00:00Z", "location": "B", "capacity": 4, "price": 5, "currency": "EUR",
                    "allocations": ["venue-b": 4],
                ]
            )
            let far = try #require(elsewhere.body["id"]?.string)
            #expect(demand.rate(of: far, at: Date()).refused == 0)
            #expect(try await Self.send(client, .get, "/api/tickets/\(far)").body == [])
            #expect(demand.rate(of: far, at: Date()).refused > 0)
        }
    }

    @Test func aDayFromTheFormIsThatDayAtTheNodesDefaultHourInItsTimeZone() async throws {
        let defaults = EventDefaults(capacity: 7, price: 12.5, currency: "CHF", hour: 19)
        let configure: @Sendable (inout ServerConfiguration) -> Void = {
            $0.timeZone = TimeZone(identifier: "Europe/Zurich")!
            $0.eventDefaults = defaults
        }
        try await TestNode.run(configure: configure) { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let form: JSONValue = ["name": "Summer Gala", "description": "Dress code", "date": "2031-07-04", "location": "Lakeside"]
            let created = try await Self.send(client, .post, "/api/events/", token: organizer, json: form)
            #expect(created.status == 201, "\(created.body)")
            // 19:00 in Zurich in July (UTC+2) is 17:00 UTC.
            #expect(created.body["date"] == "2031-07-04T17:00:00Z")
            #expect(created.body["capacity"] == .number(7) && created.body["price"] == .number(12.5) && created.body["currency"] == "CHF")
            // What the form does send wins over the defaults; a full date-time is taken as it is.
            let explicit = try await Self.send(
                client,
                .post,
                "/api/events",
                token: organizer,
                json: ["name": "Late Show", "description": "", "date": "2031-07-05T22:30:00Z", "location": "Lakeside", "capacity": 40]
            )
            #expect(explicit.body["date"] == "2031-07-05T22:30:00Z" && explicit.body["capacity"] == .number(40))
            let impossible = try await Self.send(
                client,
                .post,
                "/api/events/",
                token: organizer,
                json: ["name": "X", "description": "", "date": "2031-02-30", "location": "Y"]
            )
            #expect(impossible.status == 400 && impossible.body["field"] == "date" && impossible.body["msg"]?.string?.contains("2031-07-04") == true)
            // Unprefixed, the venue API keeps its contract: a date-time and every field required.
            let clean = try await Self.send(client, .post, "/events", token: "Bearer \(organizer)", json: form)
            #expect(clean.status == 400 && clean.body["field"] == "date" && clean.body["msg"] == nil)
        }
    }

    @Test func theEventListIsABareArrayWhoseNextPageIsInALinkHeader() async throws {
        try await TestNode.run { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            var ids: [String] = []
            for day in 1...3 { ids.append(try await client.createEvent(token: organizer, name: "Night \(day)", date: "2031-03-0\(day)T20:00:00Z")) }
            let first = try await Self.send(client, .get, "/api/events/?limit=2")
            #expect(first.body.array?.compactMap { $0["_id"]?.string } == Array(ids.prefix(2)))
            let link = try #require(first.headers[HTTPField.Name("Link")!])
            let next = try #require(link.split(separator: ">").first?.dropFirst()).description
            #expect(link.hasSuffix("rel=\"next\"") && next.hasPrefix("/api/events?limit=2&cursor="))
            let second = try await Self.send(client, .get, next)
            #expect(second.body.array?.compactMap { $0["_id"]?.string } == [ids[2]])
            #expect(second.headers[HTTPField.Name("Link")!] == nil)
        }
    }

    @Test func theUnprefixedPathsKeepTheVenueAPIsContract() async throws {
        try await TestNode.run { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let event = try await client.createEvent(token: organizer)
            let ada = try await client.register("Ada", "ada@example.com")
            let clean = try await client.execute(uri: "/events/\(event)", method: .get) { String(buffer: $0.body) }
            let viaAPI = try await client.execute(uri: "/api/events/\(event)", method: .get) { String(buffer: $0.body) }
            #expect(!clean.contains("\"_id\""))
            #expect(viaAPI.contains("\"_id\":\"\(event)\""))
            let listed = try await Self.send(client, .get, "/events")
            #expect(listed.body["events"]?[0]?["id"]?.string == event && listed.body["events"]?[0]?["_id"] == nil)
            #expect(listed.body.object.map { Set($0.keys) } == ["events"])
            let profile = try await Self.send(client, .get, "/users/profile", token: "Bearer \(ada.token)")
            #expect(profile.body["user"]?["id"]?.string == ada.id)
            #expect(profile.body.object.map { Set($0.keys) } == ["user", "tickets", "totalTickets", "unreadNotifications"])
            let tickets = try await Self.send(client, .get, "/tickets/\(event)")
            #expect(tickets.status == 401, "the venue API's ticket list is private")
            let inbox = try await Self.send(client, .get, "/notifications/\(ada.id)", token: ada.token)
            #expect(inbox.body.object.map { Set($0.keys) } == ["notifications", "unread"])
            let missing = try await Self.send(client, .get, "/events/e-missing")
            #expect(missing.status == 404 && missing.body["msg"] == nil && missing.body["detail"] == "no event with id \"e-missing\"")
            // Unprefixed, the old purchase path is a path that only takes GET (GET /tickets/{eventId}).
            let unprefixed = try await Self.send(client, .post, "/tickets/purchase", token: ada.token, json: ["ticketId": "x"])
            #expect(unprefixed.status == 405)
        }
    }
}
