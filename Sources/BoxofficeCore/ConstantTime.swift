/// Comparisons whose time says nothing about the secret compared.
public enum ConstantTime {
    /// Whether two texts are equal, looking at every byte whatever the first difference.
    public static func equal(_ presented: String, _ expected: String) -> Bool {
        presented.utf8.count == expected.utf8.count && zip(presented.utf8, expected.utf8).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
