public import Foundation

/// Date-times as the API and its OpenAPI document write them: RFC 3339's `date-time`
/// (`2031-07-04T20:00:00Z`, `2031-07-04t22:00:00.5+02:00`), parsed without a formatter, since every
/// stored event and ticket is decoded through here.
public enum RFC3339 {
    /// The moment `text` names, or nil unless it is exactly an RFC 3339 date-time of a real day:
    /// `T` or `t` between day and time (not the space RFC 3339 lets applications choose), optional fractional seconds, `Z`, `z` or an
    /// offset `±HH:MM`. A leap second (`:60`) is the first moment of the next minute.
    public static func date(from text: String) -> Date? {
        let utf8 = text.utf8
        return utf8.withContiguousStorageIfAvailable(parse) ?? Array(utf8).withUnsafeBufferPointer(parse)
    }

    private static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Date? {
        func digits(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= b.count else { return nil }
            var value = 0
            for i in start..<start + count {
                let d = Int(b[i]) - 48
                guard (0...9).contains(d) else { return nil }
                value = value * 10 + d
            }
            return value
        }
        guard b.count >= 20, b[4] == 45, b[7] == 45, b[10] == 84 || b[10] == 116, b[13] == 58, b[16] == 58,
            let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2),
            let hour = digits(11, 2), let minute = digits(14, 2), let second = digits(17, 2),
            (1...12).contains(month), (1...daysIn(month, of: year)).contains(day), hour < 24, minute < 60, second <= 60
        else { return nil }
        var i = 19
        var fraction = 0.0
        if b[i] == 46 {  // '.'
            i += 1
            var scale = 0.1
            let start = i
            while i < b.count, (48...57).contains(b[i]) {
                fraction += Double(b[i] - 48) * scale
                scale /= 10
                i += 1
            }
            guard i > start else { return nil }
        }
        guard i < b.count else { return nil }
        var offset = 0
        switch b[i] {
        case 90, 122:  // 'Z', 'z'
            i += 1
        case 43, 45:  // '+', '-'
            guard i + 6 == b.count, b[i + 3] == 58, let hours = digits(i + 1, 2), let minutes = digits(i + 4, 2), hours < 24, minutes < 60
            else { return nil }
            offset = (hours * 60 + minutes) * 60 * (b[i] == 43 ? 1 : -1)
            i += 6
        default:
            return nil
        }
        guard i == b.count else { return nil }
        // Days from the civil date (Howard Hinnant's algorithm), proleptic Gregorian, UTC.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    private static func daysIn(_ month: Int, of year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
