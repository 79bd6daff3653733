import BoxofficeCore
import Foundation
import Testing

/// The defaults of an event made from the original web app's form: a day becomes a moment.
@Suite struct EventDefaultsTests {
    static let berlin = TimeZone(identifier: "Europe/Berlin")!

    @Test func aDayIsThatDayAtTheHourInTheZone() throws {
        let defaults = EventDefaults(hour: 20)
        #expect(defaults.start(ofDay: "2031-07-04", in: .gmt) == Date(timeIntervalSince1970: 1_940_961_600))
        // Berlin is UTC+2 in July and UTC+1 in January.
        #expect(defaults.start(ofDay: "2031-07-04", in: Self.berlin)?.formatted(.iso8601) == "2031-07-04T18:00:00Z")
        #expect(defaults.start(ofDay: "2031-01-15", in: Self.berlin)?.formatted(.iso8601) == "2031-01-15T19:00:00Z")
    }

    @Test func onTheNightTheClocksSkipTheHourItIsTheFirstMomentAfter() throws {
        // 2031-03-30: Berlin's clocks go from 02:00 to 03:00, so 02:00 does not exist that day.
        let start = EventDefaults(hour: 2).start(ofDay: "2031-03-30", in: Self.berlin)
        #expect(start?.formatted(.iso8601) == "2031-03-30T01:00:00Z")
    }

    @Test(arguments: ["2031-02-30", "2031-13-01", "2031-7-04", "+031-07-04", "2031-07-04T20:00:00Z", "04.07.2031", "", "2031-07-0x"])
    func anythingButAWholeDayIsNoDay(_ text: String) {
        #expect(EventDefaults().start(ofDay: text, in: .gmt) == nil, "\(text)")
    }

    @Test func aFileMayGiveAnyOfTheFieldsAndIsCheckedWhole() throws {
        let partial = try JSONDecoder().decode(EventDefaults.self, from: Data(#"{"hour": 19}"#.utf8))
        #expect(partial == EventDefaults(capacity: 100, price: 0, currency: "EUR", hour: 19))
        #expect(partial.problem == nil)
        #expect(EventDefaults(hour: 24).problem == "eventDefaults.hour must be between 0 and 23")
        #expect(EventDefaults(capacity: 0).problem?.contains("capacity") == true)
        #expect(EventDefaults(currency: "EURO").problem?.contains("currency") == true)
        #expect(EventDefaults(price: -1).problem?.contains("price") == true)
    }
}
