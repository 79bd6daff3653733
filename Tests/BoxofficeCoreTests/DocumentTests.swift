import BoxofficeCore
import BoxofficeTestSupport
import Foundation
import Testing

@Suite struct DocumentTests {
    private func stamp(_ raw: UInt64, _ node: String = "a") -> Version { Version(hlc: HLC(rawValue: raw), node: node) }

    private func document(_ version: Version, history: [Version] = [], deleted: Bool = false) -> Document {
        Document(collection: "events", id: "e1", version: version, history: history, deleted: deleted, body: .emptyObject)
    }

    @Test func successorsRecordTheirAncestorsNewestFirstWithinTheLimit() {
        var current = document(stamp(1))
        for raw in 2...6 {
            current = current.successor(version: stamp(UInt64(raw)), body: .emptyObject, deleted: false, historyLimit: 3)
        }
        #expect(current.version == stamp(6))
        #expect(current.history == [stamp(5), stamp(4), stamp(3)])
    }

    @Test func relationDetectsDescentAndConcurrency() {
        let base = document(stamp(1))
        let left = base.successor(version: stamp(2, "a"), body: .emptyObject, deleted: false, historyLimit: 50)
        let right = base.successor(version: stamp(2, "b"), body: .emptyObject, deleted: false, historyLimit: 50)
        #expect(left.relation(to: left) == .same)
        #expect(left.relation(to: base) == .descendant)
        #expect(base.relation(to: left) == .ancestor)
        #expect(left.relation(to: right) == .concurrent)
        #expect(right.relation(to: left) == .concurrent)
    }

    @Test func aTombstoneIsAVersionThatDescends() {
        let live = document(stamp(1))
        let tombstone = live.successor(version: stamp(2), body: .emptyObject, deleted: true, historyLimit: 50)
        #expect(tombstone.deleted)
        #expect(tombstone.relation(to: live) == .descendant)
    }

    @Test func bodiesEncodeCanonically() throws {
        struct Event: Codable, Equatable {
            var name: String
            var capacity: Int
            var tags: [String]
        }
        let event = Event(name: "Jazz / Night", capacity: 100, tags: ["a"])
        let body = try JSONBody(encoding: event)
        #expect(String(decoding: body.bytes, as: UTF8.self) == #"{"capacity":100,"name":"Jazz / Night","tags":["a"]}"#)
        #expect(try body.decode(Event.self) == event)
        #expect(throws: DocumentError.bodyNotAnObject) { try JSONBody(encoding: [1, 2]) }
    }
}

@Suite struct IdentifierTests {
    @Test(arguments: ["a", "Event_2026-11-25", String(repeating: "x", count: 64), "0", "-_-"])
    func acceptsTheAlphabet(_ value: String) {
        #expect(Identifier.isValid(value))
    }

    @Test(arguments: ["", "../etc", "a/b", ".", "..", "a.json", "with space", "é", "a\u{0}b", String(repeating: "x", count: 65), "tab\t"])
    func refusesEverythingElse(_ value: String) {
        #expect(!Identifier.isValid(value))
        #expect(throws: DocumentError.invalidIdentifier(field: "id", value: value)) { try Identifier.validate(value, field: "id") }
    }
}

@Suite struct DocumentJSONTests {
    @Test func prettyAndCompactFormsCarryTheSameDocument() throws {
        let body = try JSONBody(encoding: ["name": "Braces {in} \"strings\", [too]: ok"])
        let document = Document(
            collection: "events",
            id: "e1",
            version: Version(hlc: HLC(rawValue: 0x1234), node: "venue-a"),
            history: [Version(hlc: HLC(rawValue: 0x1000), node: "venue-b")],
            deleted: false,
            body: body
        )
        let compact = try JSONValue(parsing: Data(DocumentJSON.compact(document)))
        let pretty = try JSONValue(parsing: Data(DocumentJSON.pretty(document)))
        #expect(compact.object != nil)
        #expect(compact == pretty)
        #expect(compact["version"] == ["hlc": "0000000000001234", "node": "venue-a"])
        #expect(compact["body.name"] == "Braces {in} \"strings\", [too]: ok")
    }

    @Test func prettyPrinterKeepsStringsAndNumbersByteForByte() {
        let compact = Array(#"{"a":[1.50,{}],"b":"x,{y}:\"z\\","c":[],"d":{"e":-0.0e1}}"#.utf8)
        let expected = """
            {
              "a": [
                1.50,
                {}
              ],
              "b": "x,{y}:\\"z\\\\",
              "c": [],
              "d": {
                "e": -0.0e1
              }
            }
            """
        #expect(String(decoding: JSONPrettyPrinter.format(compact), as: UTF8.self) == expected)
    }
}

@Suite struct RandomIdentifierTests {
    @Test func randomIdsAreValidDistinctAndUseTheWholeAlphabet() {
        let ids = (0..<2_000).map { _ in Identifier.random(prefix: "t") }
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { Identifier.isValid($0) && $0.hasPrefix("t-") && $0.count == 22 })
        let codes = (0..<500).map { _ in Identifier.randomCode(length: 16) }
        #expect(codes.allSatisfy { $0.count == 16 && !$0.contains("I") && !$0.contains("O") && !$0.contains("U") && !$0.contains("L") })
        #expect(Set(codes.joined()).count == 32)  // every character of the alphabet shows up
    }
}
