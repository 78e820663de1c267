/// Users of a Search Users JSON export (any envelope, or NDJSON), streamed element by element as owned
/// `DescopeUser`s: the copies of `SearchUsersViewReader`'s views (for callers that keep users, like the join).
public final class SearchUsersReader {
    private let views: SearchUsersViewReader
    public var path: String { views.path }
    public var recordsRead: Int { views.recordsRead }
    public var problemsFound: Int { views.problemsFound }

    /// `simdjson: false` reads every element with JSONParser (see SearchUsersViewReader).
    public init(path: String, options: ExportOptions = ExportOptions(), simdjson: Bool = true) throws(ExportError) {
        views = try SearchUsersViewReader(path: path, options: options, simdjson: simdjson)
    }

    /// Reads from memory (tests).
    public init(bytes: [UInt8], name: String = "<memory>") {
        views = SearchUsersViewReader(bytes: bytes, name: name)
    }

    /// The next user or problem; nil at the end of the input.
    public func next() -> ExportItem? {
        switch views.nextRecord() {
        case nil: return nil
        case .view(let view)?: return .user(DescopeUser(view))
        // An element read by JSONParser keeps its DescopeUser as it was (a view cannot hold a "" tenant name).
        case .user(let user)?: return .user(user)
        case .problem(let p)?: return .problem(p)
        }
    }

    /// The item, and for a user the exact JSON bytes of its element (tests compare both with the JSONParser path).
    func nextWithRaw() -> (item: ExportItem, raw: [UInt8])? {
        guard let item = next() else { return nil }
        guard case .user = item else { return (item, []) }
        return (item, Array(views.element))
    }
}
