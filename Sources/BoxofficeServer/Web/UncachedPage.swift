/// A page model that is never shown twice the same (a countdown by the second, a fresh random
/// key): `PageCache` does not keep it, where it would only push out pages that are seen again.
protocol UncachedPage {}
