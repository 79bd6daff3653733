import BoxofficeVenue
import Testing

/// The one bounded cache: never more than its limit, and the entries in use stay.
@Suite struct BoundedCacheTests {
    @Test func itNeverHoldsMoreThanItsLimitAndKeepsWhatIsUsed() {
        let cache = BoundedCache<Int, String>(limit: 100)
        cache.set("hot", for: -1)
        for key in 0..<10_000 {
            cache.set("\(key)", for: key)
            #expect(cache[-1] == "hot", "a key in use survives every turnover (at \(key))")
            #expect(cache.count <= 100)
        }
        #expect(cache[9_999] == "9999", "the newest entries are kept")
        #expect(cache[0] == nil, "entries unused for a generation are gone")
    }

    @Test func aValueIsMadeOnceWhileItIsKept() {
        let cache = BoundedCache<String, Int>(limit: 10)
        var made = 0
        for _ in 0..<5 {
            _ = cache.value(for: "a") {
                made += 1
                return 42
            }
        }
        #expect(made == 1 && cache["a"] == 42)
    }
}
