public import Foundation

/// An amount of one currency, counted exactly in its minor unit (cents of EUR, yen of JPY, fils of
/// KWD): the sums of a settlement are integer sums, never floating point.
public struct Money: Sendable, Hashable, Codable, Comparable {
    /// In the currency's minor unit.
    public var minorUnits: Int64
    public var currency: String

    public init(minorUnits: Int64, currency: String) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// `amount` (in the major unit, as a price is written) in `currency`; nil when it has more
    /// decimal places than the currency has minor units, or is out of range.
    public init?(_ amount: Decimal, currency: String) {
        let scaled = amount * Self.power(of: Self.exponent(of: currency))
        var rounded = Decimal()
        var value = scaled
        NSDecimalRound(&rounded, &value, 0, .plain)
        let units = NSDecimalNumber(decimal: rounded).int64Value
        guard rounded == scaled, Decimal(units) == rounded else { return nil }
        self.init(minorUnits: units, currency: currency)
    }

    /// How many decimal places a currency's minor unit has (ISO 4217): 2 unless listed.
    public static func exponent(of currency: String) -> Int {
        switch currency {
        case "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF": 0
        case "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND": 3
        case "CLF", "UYW": 4
        default: 2
        }
    }

    /// Nothing, in the same currency.
    public var zero: Money { Money(minorUnits: 0, currency: currency) }

    /// The amount in the major unit: 1850 EUR cents is 18.5.
    public var amount: Decimal { Decimal(minorUnits) / Self.power(of: Self.exponent(of: currency)) }

    /// "18.50 EUR", "1200 JPY", "-3.250 KWD": every minor digit, no grouping.
    public var text: String { "\(decimalText) \(currency)" }

    /// "18.50", "1200", "-3.250": the amount in the major unit, exactly, as text.
    public var decimalText: String {
        let exponent = Self.exponent(of: currency)
        let magnitude = minorUnits.magnitude
        let sign = minorUnits < 0 ? "-" : ""
        guard exponent > 0 else { return "\(sign)\(magnitude)" }
        let divisor = (0..<exponent).reduce(UInt64(1)) { value, _ in value * 10 }
        let fraction = String(magnitude % divisor)
        return "\(sign)\(magnitude / divisor).\(String(repeating: "0", count: exponent - fraction.count))\(fraction)"
    }

    private enum CodingKeys: String, CodingKey { case minorUnits, currency, amount }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(minorUnits: try container.decode(Int64.self, forKey: .minorUnits), currency: try container.decode(String.self, forKey: .currency))
    }

    /// `{"minorUnits": 1850, "currency": "EUR", "amount": "18.50"}`: the amount is for people and
    /// is never read back; the minor units are the value.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(minorUnits, forKey: .minorUnits)
        try container.encode(currency, forKey: .currency)
        try container.encode(decimalText, forKey: .amount)
    }

    public static func < (lhs: Money, rhs: Money) -> Bool {
        (lhs.currency, lhs.minorUnits) < (rhs.currency, rhs.minorUnits)
    }

    private static func power(of exponent: Int) -> Decimal {
        (0..<exponent).reduce(Decimal(1)) { value, _ in value * 10 }
    }
}
