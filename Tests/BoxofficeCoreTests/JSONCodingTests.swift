import BoxofficeTestSupport
import Foundation
import Testing

@testable import BoxofficeCore

@Suite struct JSONCodingTests {
    @Test(arguments: [
        "2030-06-01T20:00:00Z", "1999-12-31T23:59:59Z", "2000-02-29T12:00:00Z", "1970-01-01T00:00:00Z",
        "2026-03-01T00:00:00Z", "2100-02-28T01:02:03Z",
    ])
    func canonicalDatesParseLikeTheFormatter(_ text: String) throws {
        let parsed = try #require(RFC3339.date(from: text))
        #expect(parsed == (try Date(text, strategy: .iso8601)))
        #expect(String(decoding: try JSONCoding.encode([parsed]), as: UTF8.self) == "[\"\(text)\"]")
    }

    @Test(arguments: ["2030-06-01T20:00:00.250Z", "2030-06-01T22:00:00+02:00"])
    func otherISO8601FormsStillParse(_ text: String) throws {
        let parsed = try #require(RFC3339.date(from: text))
        #expect(abs(parsed.timeIntervalSince1970 - 1_906_574_400) < 1)
    }

    @Test(arguments: ["2030-13-01T20:00:00Z", "2030-06-01 20:00:00Z", "tomorrow", ""])
    func nonsenseDoesNot(_ text: String) {
        #expect(RFC3339.date(from: text) == nil)
    }

    /// The store's lookups read fields with `JSONBody.strings`; it must agree with a decoder on
    /// any body: escapes, non-ASCII text, values that are not strings, nested objects that reuse
    /// the names asked for.
    @Test(arguments: 0..<50)
    func bodyStringsAgreeWithTheDecoder(_ round: Int) throws {
        var random = SeededRandom()
        let alphabet: [String] = ["a", "Z", "7", " ", "\"", "\\", "/", "\n", "\t", "\u{1}", "é", "🎟", "{", "}", ",", ":"]
        func text() -> String { (0..<Int.random(in: 0...12, using: &random)).map { _ in alphabet.randomElement(using: &random)! }.joined() }
        let names = ["eventId", "code", "userId", "status", "other"]
        var body: [String: JSONValue] = [:]
        for name in names {
            switch Int.random(in: 0..<5, using: &random) {
            case 0: body[name] = .string(text())
            case 1: body[name] = .number(Double(Int.random(in: -1000...1000, using: &random)))
            case 2: body[name] = ["eventId": .string(text()), "code": [.string(text())]]
            case 3: body[name] = .null
            default: break  // absent
            }
        }
        let bytes = try JSONValue.object(body).sortedJSON()
        let decoded = try JSONValue(parsing: bytes)
        let expected = Dictionary(uniqueKeysWithValues: names.prefix(4).compactMap { name in (decoded[name]?.string).map { (name, $0) } })
        #expect(
            JSONBody(unchecked: Array(bytes)).strings(Array(names.prefix(4))) == JSONBody.Fields(expected),
            "seed \(random.seed), body \(String(decoding: bytes, as: UTF8.self))"
        )
    }

    @Test func bodyStringsReadSurrogatePairsAndGiveNothingForABodyThatDoesNotParse() {
        let escaped = JSONBody(unchecked: Array(#"{"code":"\ud83c\udf9f \u00e9\/","eventId":"e-1"}"#.utf8))
        #expect(escaped.strings(["code", "eventId"]) == ["code": "🎟 é/", "eventId": "e-1"])
        for broken in [
            #"{"eventId":"e-1","code":"\x"}"#, #"{"eventId":"e-1","code":"\ud83c"}"#, #"{"eventId":"e-1","code":"\u+04A"}"#,
            #"{"eventId":"e-1","code":"#, #"{"eventId":"e-1","co\x":"1"}"#,
        ] {
            #expect(JSONBody(unchecked: Array(broken.utf8)).strings(["code", "eventId"]) == [:], "\(broken)")
        }
    }

    @Test func namesAreMatchedWholeAndThroughEscapes() {
        // `\u0049` is "I": a key written with an escape names the same field as one without.
        let body = JSONBody(unchecked: Array(#"{"code":"T-1","event":"no","eventIdX":"no","event\u0049d":"e-1"}"#.utf8))
        #expect(body.strings(["eventId", "code"]) == ["eventId": "e-1", "code": "T-1"])
        #expect(body.string("eventId") == "e-1")
        // Text compares as text: "é" as one scalar in the name, as "e" and a combining accent in the key.
        let accented = JSONBody(unchecked: Array("{\"cafe\u{301}\":\"c-1\",\"code\":\"T-1\"}".utf8))
        #expect(accented.strings(["caf\u{E9}", "code"]) == ["caf\u{E9}": "c-1", "code": "T-1"])
    }

    @Test func oneStringStopsReadingAtItsField() {
        let body = JSONBody(unchecked: Array(#"{"code":"T-1","count":3,"eventId":"e-1","userId":"u-1"}"#.utf8))
        #expect(body.string("eventId") == "e-1")
        #expect(body.string("count") == nil)
        #expect(body.string("missing") == nil)
        // Only what comes before the field is read: it is meant for bodies known to parse.
        #expect(JSONBody(unchecked: Array(#"{"eventId":"e-1","code":"\x"}"#.utf8)).string("eventId") == "e-1")
    }
}
