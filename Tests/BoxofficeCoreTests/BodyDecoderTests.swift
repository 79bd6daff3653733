import BoxofficeTestSupport
import Foundation
import Testing

@testable import BoxofficeCore

/// `BodyDecoder` may only ever answer what JSONDecoder answers: the same value, or nothing (then
/// JSONDecoder decides).
@Suite struct BodyDecoderTests {
    struct Sample: Codable, Equatable {
        enum Kind: String, Codable { case paid, comp }
        var text: String
        var name: String?
        var count: Int
        var big: UInt64
        var small: Int8
        var ratio: Double
        var flag: Bool
        var at: Date
        var price: Decimal
        var kind: Kind
        var tags: [String]
        var counts: [String: Int]
        var hlc: HLC?
        var children: [Sample]?
    }

    static let sample = Sample(
        text: "Zoë 🎟 at the door",
        name: nil,
        count: -42,
        big: .max,
        small: -128,
        ratio: 0.25,
        flag: true,
        at: Date(timeIntervalSince1970: 1_906_574_400),
        price: Decimal(string: "18.50")!,
        kind: .comp,
        tags: ["a", "", "b c"],
        counts: ["venue-a": 3, "venue-b": 0],
        hlc: HLC(wallMillis: 1_906_574_400_000, counter: 7),
        children: [Sample(text: "child", count: 1, price: 0, tags: [], counts: [:])]
    )

    /// A body of optional members only.
    struct Small: Codable, Equatable {
        var count: Int?
        var text: String?
        var price: Decimal?
        var flag: Bool?
    }

    private static func foundation<T: Decodable>(_ type: T.Type, _ bytes: [UInt8]) -> T? {
        try? JSONCoding.makeDecoder().decode(type, from: Data(bytes))
    }

    @Test func readsWhatItWroteAsJSONDecoderDoes() throws {
        let bytes = try JSONCoding.encode(Self.sample)
        let fast = try #require(BodyDecoder.decode(Sample.self, from: bytes))
        #expect(fast == Self.sample)
        #expect(fast == Self.foundation(Sample.self, bytes))
    }

    @Test func readsDomainDocuments() throws {
        let ticket = Ticket(
            eventId: "e-1",
            userId: nil,
            holderName: "Bo \"Late\"",
            holderEmail: "bo@example.com",
            code: "T-1",
            price: Decimal(string: "9.90")!,
            currency: "EUR",
            soldAt: Date(timeIntervalSince1970: 1_900_000_000),
            saleHLC: nil,
            soldBy: "venue-a",
            soldByUser: "u-1"
        )
        let escaped = try JSONCoding.encode(ticket)
        // A name with quotes is escaped: left to JSONDecoder, and JSONCoding still reads it.
        #expect(BodyDecoder.decode(Ticket.self, from: escaped) == nil)
        #expect(try JSONCoding.decode(Ticket.self, from: escaped) == ticket)
        var plain = ticket
        plain.holderName = "Bo Late"
        #expect(BodyDecoder.decode(Ticket.self, from: try JSONCoding.encode(plain)) == plain)

        let row = AllocationRow(eventId: "e-1", node: "hub", given: ["venue-a": 10], resized: 5, reclaimed: ["venue-b": 2])
        #expect(BodyDecoder.decode(AllocationRow.self, from: try JSONCoding.encode(row)) == row)
        let defaults = BodyDecoder.decode(EventDefaults.self, from: Array(#"{"capacity": 250}"#.utf8))
        #expect(defaults == EventDefaults(capacity: 250))
    }

    /// Each of these is left to JSONDecoder, and `JSONCoding.decode` answers what JSONDecoder does.
    @Test(arguments: [
        #"{"text":"a\"b","count":1}"#,  // an escape
        #"{"count":1,"count":2}"#,  // a duplicate key
        #"{"count":1e2}"#,  // an integer with an exponent
        #"{"count":1.0}"#,  // an integer with a fraction
        #"{"count":1} x"#,  // trailing text
        #"{"count":01}"#,  // not a JSON number
        #"{"count":"1"}"#,  // a wrong type
        #"{"count":}"#, #"{"count" 1}"#, #"{count:1}"#, "", "[1,]", "{\"t\":\"\u{1}\"}",
        #"{"price":1e400}"#, #"{"price":12345678901234567890}"#, #"{"flag":tru}"#, #"{"count":1,"é":2}"#,
    ])
    func givesUpWhereJSONDecoderDecides(_ text: String) throws {
        let bytes = Array(text.utf8)
        #expect(BodyDecoder.decode(Small.self, from: bytes) == nil)
        #expect((try? JSONCoding.decode(Small.self, from: bytes)) == Self.foundation(Small.self, bytes))
    }

    /// An optional member is read with one lookup here: absent and null are both nil, as in JSONDecoder.
    @Test(arguments: [#"{}"#, #"{"count":null,"text":null,"price":null,"flag":null}"#, #"{"count":3,"text":"t","price":2,"flag":false}"#])
    func optionalMembersReadAsJSONDecoderReadsThem(_ text: String) throws {
        let bytes = Array(text.utf8)
        let expected = try #require(Self.foundation(Small.self, bytes))
        #expect(BodyDecoder.decode(Small.self, from: bytes) == expected)
    }

    /// A peer's body nested deeper than any document is left to JSONDecoder, without recursing
    /// down it: this reader must not exhaust the stack.
    @Test func deepNestingIsLeftToJSONDecoder() {
        struct Named: Codable, Equatable { var name: String }
        let deep =
            Array(#"{"name":"a","junk":"#.utf8) + Array(repeating: UInt8(ascii: "["), count: 200_000)
            + Array(repeating: UInt8(ascii: "]"), count: 200_000) + Array("}".utf8)
        #expect(BodyDecoder.decode(Named.self, from: deep) == nil)
        let nested =
            Array(#"{"name":"a","junk":"#.utf8) + Array(repeating: UInt8(ascii: "["), count: 100)
            + Array(repeating: UInt8(ascii: "]"), count: 100) + Array("}".utf8)
        #expect(BodyDecoder.decode(Named.self, from: nested) == nil)
        #expect((try? JSONCoding.decode(Named.self, from: nested)) == Self.foundation(Named.self, nested))
    }

    @Test func objectsWithManyKeysAndUnderflowingNumbersAreLeftToJSONDecoder() throws {
        let many = Array(("{" + (0..<100).map { "\"k\($0)\":\($0)" }.joined(separator: ",") + "}").utf8)
        #expect(BodyDecoder.decode([String: Int].self, from: many) == nil)
        #expect(try JSONCoding.decode([String: Int].self, from: many) == Self.foundation([String: Int].self, many))
        struct Ratio: Codable, Equatable { var ratio: Double }
        for text in [#"{"ratio":1e-400}"#, #"{"ratio":0.5e-330}"#] {
            #expect(BodyDecoder.decode(Ratio.self, from: Array(text.utf8)) == nil, "\(text)")
        }
        #expect(BodyDecoder.decode(Ratio.self, from: Array(#"{"ratio":0.0e-400}"#.utf8)) == Ratio(ratio: 0))
    }

    /// A type that reads an array element, fails, and reads it again as something else gets what
    /// it gets from JSONDecoder: an element is passed only once it was read.
    @Test func anArrayElementThatFailedToReadCanBeReadAgain() throws {
        struct Lossy: Decodable, Equatable {
            var kinds: [Sample.Kind] = []
            init(from decoder: any Decoder) throws {
                var container = try decoder.unkeyedContainer()
                while !container.isAtEnd {
                    if let kind = try? container.decode(Sample.Kind.self) { kinds.append(kind) } else { _ = try container.decode(String.self) }
                }
            }
        }
        let bytes = Array(#"["paid","bogus","comp"]"#.utf8)
        let expected = try #require(Self.foundation(Lossy.self, bytes))
        #expect(expected.kinds == [.paid, .comp])
        #expect(BodyDecoder.decode(Lossy.self, from: bytes) == expected)
    }

    @Test func invalidUTF8IsLeftToJSONDecoder() {
        struct Named: Codable { var name: String }
        #expect(BodyDecoder.decode(Named.self, from: Array(#"{"name":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)) == nil)
    }

    @Test(arguments: ["0", "-0", "7", "18", "18.5", "18.50", "0.01", "-3.333", "65536", "123456789012345678", "99999999.9999999999", "1000000"])
    func decimalsReadAsJSONDecoderReadsThem(_ text: String) throws {
        struct Priced: Codable, Equatable { var price: Decimal }
        let bytes = Array(#"{"price":\#(text)}"#.utf8)
        let fast = BodyDecoder.decode(Priced.self, from: bytes)
        let expected = try #require(Self.foundation(Priced.self, bytes))
        #expect(fast == expected)
        #expect(try JSONCoding.encode(fast) == JSONCoding.encode(expected))
    }

    /// The property that matters: whatever a damaged body looks like, an answer from this reader
    /// is JSONDecoder's answer.
    @Test(arguments: 0..<8)
    func damagedBodiesNeverReadDifferently(_ round: Int) throws {
        var random = SeededRandom()
        let original = try JSONCoding.encode(Self.sample)
        let alphabet = Array(#"{}[]",:.-+eE0123456789 \ntfnrule"#.utf8) + [0x00, 0xC3, 0xFF]
        var accepted = 0
        for _ in 0..<2_000 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let at = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: bytes[at] = alphabet.randomElement(using: &random)!
                case 1: bytes.remove(at: at)
                default: bytes.insert(alphabet.randomElement(using: &random)!, at: at)
                }
            }
            guard let fast = BodyDecoder.decode(Sample.self, from: bytes) else { continue }
            accepted += 1
            #expect(fast == Self.foundation(Sample.self, bytes), "seed \(random.seed): \(String(decoding: bytes, as: UTF8.self))")
        }
        // Some damage leaves a body that still reads (a digit changed, a space added): those were compared.
        #expect(accepted > 0)
    }
}

extension BodyDecoderTests.Sample {
    init(text: String, count: Int, price: Decimal, tags: [String], counts: [String: Int]) {
        self.init(
            text: text,
            name: "n",
            count: count,
            big: 0,
            small: 0,
            ratio: 1,
            flag: false,
            at: Date(timeIntervalSince1970: 0),
            price: price,
            kind: .paid,
            tags: tags,
            counts: counts,
            hlc: nil,
            children: nil
        )
    }
}
