import Foundation
import Testing

@testable import BoxofficeCore

@Suite struct JSONCodingTests {
    @Test(arguments: [
        "2030-06-01T20:00:00Z", "1999-12-31T23:59:59Z", "2000-02-29T12:00:00Z", "1970-01-01T00:00:00Z",
        "2026-03-01T00:00:00Z", "2100-02-28T01:02:03Z",
    ])
    func canonicalDatesParseLikeTheFormatter(_ text: String) throws {
        let parsed = try #require(JSONCoding.parseDate(text))
        #expect(parsed == (try Date(text, strategy: .iso8601)))
        #expect(String(decoding: try JSONCoding.encode([parsed]), as: UTF8.self) == "[\"\(text)\"]")
    }

    @Test(arguments: ["2030-06-01T20:00:00.250Z", "2030-06-01T22:00:00+02:00"])
    func otherISO8601FormsStillParse(_ text: String) throws {
        let parsed = try #require(JSONCoding.parseDate(text))
        #expect(abs(parsed.timeIntervalSince1970 - 1_906_574_400) < 1)
    }

    @Test(arguments: ["2030-13-01T20:00:00Z", "2030-06-01 20:00:00Z", "tomorrow", ""])
    func nonsenseDoesNot(_ text: String) {
        #expect(JSONCoding.parseDate(text) == nil)
    }
}
