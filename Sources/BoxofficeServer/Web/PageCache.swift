import BoxofficeCore
import BoxofficeVenue

/// Rendered pages by everything they show, so a page seen again is not rendered again: browsing
/// is the most common request of all. Pages are stored with a placeholder where each browser's
/// own CSRF token goes, and the token is put in on the way out.
final class PageCache: Sendable {
    /// Unchecked: `page` only ever holds a Sendable value (`WebShell.page` takes nothing else).
    struct Key: Hashable, @unchecked Sendable {
        let template: String
        let title: String
        let chrome: WebShell.Chrome
        let page: AnyHashable
    }

    /// Stands for the CSRF token in stored pages: random per process, so no text a user typed
    /// can be taken for it.
    let placeholder = "csrf" + Identifier.randomCode(length: 24)
    /// A page is kept as the parts between its placeholders.
    private let pages = BoundedCache<Key, [String]>(limit: 2_000)

    /// The page for `key` with `token` in place, rendered by `render` the first time; a page that
    /// fails to render (nil) is not kept, nor one that will not be seen again (`keep` false).
    func page(_ key: Key, token: String, keep: Bool = true, render: () -> String?) -> String? {
        if keep, let parts = pages[key] { return parts.joined(separator: token) }
        guard let html = render() else { return nil }
        let parts = html.components(separatedBy: placeholder)
        guard keep else { return parts.joined(separator: token) }
        pages.set(parts, for: key)
        return parts.joined(separator: token)
    }

    /// How many pages are kept.
    var count: Int { pages.count }
}
