import BoxofficeTestSupport
import Foundation
import HummingbirdTesting
import Testing

/// What /openapi.yaml states and schemathesis checks (`make fuzz-api`), pinned here so that a
/// change to either shows in `make test`: what the schema admits is taken, what it refuses is a 4xx.
@Suite struct OpenAPIContractTests {
    private static let event = #"{"name":"Gig","date":"2031-07-04T20:00:00Z","location":"Hall","capacity":10,"currency":"EUR""#

    @Test func nullIsAFieldLeftOutAndAWholeNumberMayHaveAZeroFraction() async throws {
        try await TestNode.run { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let created = try await client.call(
                .post,
                "/events",
                token: organizer,
                raw: Self.event + #","price":12.50,"description":null,"salesPolicy":null,"allocations":null,"holdMinutes":null}"#
            )
            #expect(created.status == .created, "\(created.body)")
            #expect(created.body["description"] == "" && created.body["salesPolicy"] == "escrow")
            let id = try #require(created.body["id"]?.string)
            let staff = try await client.login("sam@venue.test", "staff-pw-1")
            let sold = try await client.call(
                .post,
                "/tickets",
                token: staff,
                raw: #"{"eventId":"\#(id)","quantity":2.0,"holderName":"  ","holderEmail":null}"#
            )
            #expect(sold.status == .created, "\(sold.body)")
            #expect(sold.body["tickets[0].holderName"] == "Sam Staff", "a blank holder name is none: the seller's own")
            let fraction = try await client.call(.post, "/tickets", token: staff, raw: #"{"eventId":"\#(id)","quantity":2.5}"#)
            #expect(fraction.status == .badRequest)
        }
    }

    @Test func pricesAreWholeCentsAndRulesAcrossFieldsAre422() async throws {
        try await TestNode.run { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let subCent = try await client.call(.post, "/events", token: organizer, raw: Self.event + #","price":1.005}"#)
            #expect(subCent.status == .badRequest && subCent.body["field"] == "price", "\(subCent.body)")
            let split = try await client.call(.post, "/events", token: organizer, raw: Self.event + #","price":1,"allocations":{"venue-a":3}}"#)
            #expect(split.status == .unprocessableContent && split.body["field"] == "allocations", "\(split.body)")
            let bytes = try await client.call(
                .post,
                "/users/register",
                json: ["name": "Émile", "email": "emile@venue.test", "password": .string(String(repeating: "é", count: 40))]
            )
            #expect(bytes.status == .unprocessableContent, "40 characters, 80 bytes: more than bcrypt reads")
        }
    }

    @Test func anEmptyDateOrCursorIsLeftOutAnEmptyLimitIsNot() async throws {
        try await TestNode.run { _, client in
            let empty = try await client.call(.get, "/events?from=&to=&cursor=")
            #expect(empty.status == .ok)
            let lowerCase = try await client.call(.get, "/events?from=2031-07-04t20:00:00.5z")
            #expect(lowerCase.status == .ok, "RFC 3339 allows lower case")
            let noLimit = try await client.call(.get, "/events?limit=")
            #expect(noLimit.status == .badRequest)
        }
    }
}
