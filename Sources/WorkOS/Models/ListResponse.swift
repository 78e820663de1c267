/// `{"object":"list","data":[...],"list_metadata":{"before":..,"after":..}}`; `after == nil` is the last page.
public struct ListResponse<Element: Codable & Sendable>: Codable, Sendable {
    public var object: String
    public var data: [Element]
    public var listMetadata: ListMetadata

    public init(data: [Element], listMetadata: ListMetadata) {
        self.object = "list"; self.data = data; self.listMetadata = listMetadata
    }

    enum CodingKeys: String, CodingKey {
        case object, data
        case listMetadata = "list_metadata"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        object = try c.decodeIfPresent(String.self, forKey: .object) ?? "list"
        data = try c.decode([Element].self, forKey: .data)
        listMetadata = try c.decodeIfPresent(ListMetadata.self, forKey: .listMetadata) ?? ListMetadata()
    }
}

extension ListResponse: Equatable where Element: Equatable {}

/// The cursors of a list page: pass `after` to get the next page.
public struct ListMetadata: Codable, Sendable, Hashable {
    public var before: String?
    public var after: String?

    public init(before: String? = nil, after: String? = nil) { self.before = before; self.after = after }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(before, forKey: .before)
        try c.encode(after, forKey: .after)
    }
}
