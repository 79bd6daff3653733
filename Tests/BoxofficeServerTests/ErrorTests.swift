import BoxofficeTestSupport
import Foundation
import HummingbirdTesting
import Testing

/// Bad input gets a 4xx problem+json, never a 500 or a dropped connection.
@Suite struct ErrorTests {
    @Test(arguments: ["{", "[]", "null", "\"text\"", "{\"name\": }", ""])
    func malformedJSONIsABadRequest(_ raw: String) async throws {
        try await TestNode.run { _, client in
            let response = try await client.call(.post, "/users/register", raw: raw)
            #expect(response.status == .badRequest)
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect(response.body["detail"]?.string?.isEmpty == false)
        }
    }

    @Test func numbersAFieldCannotTakeAndUnknownChoicesAreNamedAsSuch() async throws {
        try await TestNode.run { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let event = #"{"name":"X","date":"2030-01-01T00:00:00Z","location":"Y","price":1,"currency":"EUR","capacity":"#
            for capacity in ["1.5", "100000000000000000000"] {
                let response = try await client.call(.post, "/events", token: organizer, raw: event + capacity + "}")
                #expect(response.status == .badRequest)
                #expect(response.body["detail"]?.string?.contains("does not fit its field") == true, "\(response.body)")
            }
            let policy = try await client.call(.post, "/events", token: organizer, raw: event + #"10,"salesPolicy":"yolo"}"#)
            #expect(policy.body["field"] == "salesPolicy")
            #expect(policy.body["detail"] == "salesPolicy cannot be yolo (see /openapi.yaml for the values it takes)")
        }
    }

    @Test func bodiesOverOneMebibyteAre413() async throws {
        try await TestNode.run { _, client in
            let huge = "{\"name\":\"" + String(repeating: "x", count: (1 << 20) + 10) + "\"}"
            let response = try await client.call(.post, "/users/register", raw: huge)
            #expect(response.status == .contentTooLarge)
            #expect(response.body["status"] == 413)
        }
    }

    @Test func unknownRoutesAndMethodsAreProblems() async throws {
        try await TestNode.run { _, client in
            let unknown = try await client.call(.get, "/no/such/thing")
            #expect(unknown.status == .notFound)
            #expect(unknown.body["type"] == "/problems/not-found")
            let wrongMethod = try await client.call(.delete, "/events")
            #expect(wrongMethod.status == .methodNotAllowed)
            #expect(wrongMethod.headers[.allow] == "GET, POST, HEAD")
            #expect(wrongMethod.headers[.contentType] == "application/problem+json")
            #expect(try await client.call(.put, "/events/e-some1thing").headers[.allow] == "GET, PATCH, HEAD", "a captured segment matches")
            #expect(try await client.call(.delete, "/api/users/login").headers[.allow] == "POST")
            #expect(try await client.call(.options, "/notifications/send").headers[.allow] == "POST", "a constant segment wins, as in the router")
            #expect(try await client.call(.get, "/events/e-1/no/such").status == .notFound)
        }
    }

    @Test func everyRouteAnswersUnderApiToo() async throws {
        try await TestNode.run { _, client in
            let registered = try await client.call(
                .post,
                "/api/users/register",
                json: ["name": "Ada", "email": "ada@example.com", "password": "analytical"]
            )
            #expect(registered.status == .created)
            #expect(try await client.call(.get, "/api/health").status == .ok)
            #expect(try await client.call(.get, "/api/events").status == .ok)
        }
    }

    @Test func messagesSayWhatIsWrongInWordsAndNameTheField() async throws {
        try await TestNode.run { _, client in
            let organizer = "Bearer " + (try await client.login("olga@venue.test", "organizer-pw"))
            // A day is a date too: from its start, to its end, in the venue's time zone.
            var ids: [String] = []
            for day in ["2031-03-01", "2031-03-02"] {
                let made = try await client.send(
                    .post,
                    "/events",
                    authorization: organizer,
                    json: ["name": "Night", "date": .string(day + "T20:00:00Z"), "location": "Hall", "capacity": 3, "price": 1, "currency": "EUR"]
                )
                ids.append(made.body["id"]?.string ?? "")
            }
            let second = try await client.send(.get, "/events?from=2031-03-02&to=2031-03-02")
            #expect(second.status == 200 && second.body["events"]?.array?.compactMap { $0["id"]?.string } == [ids[1]])
            let noDay = try await client.send(.get, "/events?from=2031-02-30")
            #expect(
                noDay.status == 400
                    && noDay.body["detail"] == "from must be an ISO 8601 date-time such as 2030-01-01T20:00:00Z or a day such as 2030-01-01"
            )

            let null = try await client.send(.post, "/events", authorization: organizer, raw: "null")
            #expect(
                null.status == 400 && null.body["field"] == "body" && null.body["detail"] == "the body must be a JSON object, not null",
                "\(null.body)"
            )

            let negative = try await client.send(.patch, "/events/\(ids[0])", authorization: organizer, json: ["capacity": -100])
            #expect(negative.body["detail"] == "capacity must be between 1 and 1,000,000", "\(negative.body)")
            let staff = "Bearer " + (try await client.login("sam@venue.test", "staff-pw-1"))
            let sold = try await client.send(
                .post,
                "/tickets",
                authorization: staff,
                json: ["eventId": .string(ids[0]), "quantity": 2, "holderName": "Walk In"]
            )
            #expect(sold.status == 201)
            let tooMany = try await client.send(.patch, "/events/\(ids[0])", authorization: organizer, json: ["capacity": 1])
            #expect(tooMany.body["detail"] == "this node can remove at most its 1 unsold seat (2 are sold, held or elsewhere)", "\(tooMany.body)")

            let nowhere = try await client.send(
                .post,
                "/events/\(ids[0])/allocations/transfer",
                authorization: staff,
                json: ["to": "venue-x", "seats": 1]
            )
            #expect(
                nowhere.status == 409 && nowhere.body["detail"]?.string?.hasSuffix("synced with: none yet: sync with the node first") == true,
                "\(nowhere.body)"
            )
        }
    }
}
