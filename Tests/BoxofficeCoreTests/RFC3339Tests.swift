import BoxofficeCore
import Foundation
import Testing

/// Every RFC 3339 date-time the OpenAPI document admits reads as the moment it names; nothing else does.
@Suite struct RFC3339Tests {
    @Test(arguments: [
        ("2031-07-04T20:00:00Z", 1_940_961_600.0),
        ("2031-07-04t20:00:00z", 1_940_961_600.0),
        ("2031-07-04T22:00:00+02:00", 1_940_961_600.0),
        ("2031-07-04T19:30:00-00:30", 1_940_961_600.0),
        ("2031-07-04T20:00:00.25Z", 1_940_961_600.25),
        ("2016-12-31T23:59:60Z", 1_483_228_800.0),
        ("2000-02-29T00:00:00Z", 951_782_400.0),
        ("0001-01-01T00:00:00Z", -62_135_596_800.0),
    ])
    func readsTheMomentItNames(_ text: String, _ seconds: Double) {
        #expect(RFC3339.date(from: text)?.timeIntervalSince1970 == seconds, "\(text)")
    }

    @Test(arguments: [
        "", "2031-07-04", "2031-07-04T20:00Z", "2031-07-04T20:00:00", "2031-02-29T00:00:00Z", "1900-02-29T00:00:00Z",
        "2031-13-01T00:00:00Z", "2031-07-04T24:00:00Z", "2031-07-04T20:00:61Z", "2031-07-04T20:00:00.Z", "2031-07-04T20:00:00+0200",
        "2031-07-04T20:00:00+24:00", "2031-07-04T20:00:00Zjunk", "2031-07-04X20:00:00Z", "2031-07-04 20:00:00Z",
    ])
    func refusesAnythingElse(_ text: String) {
        #expect(RFC3339.date(from: text) == nil, "\(text)")
    }
}
