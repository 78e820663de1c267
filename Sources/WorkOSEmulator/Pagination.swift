import GRDB
import WorkOS

/// `limit`, `before`, `after`, `order` of a WorkOS list request, already validated.
struct PageRequest: Sendable {
    var limit: Int = 10
    var after: String?
    var before: String?
    /// WorkOS lists newest first unless `order=asc`.
    var ascending = false

    /// Reads the query, or the 422 WorkOS gives for a bad `limit` or `order`.
    static func parse(limit: String?, after: String?, before: String?, order: String?) -> Result<PageRequest, Refusal> {
        var page = PageRequest()
        if let limit {
            guard let value = Int(limit), (1...100).contains(value) else {
                return .failure(Refusal(.invalid(field: "limit", code: "limit_out_of_range",
                                                 message: "limit must be a whole number from 1 to 100.")))
            }
            page.limit = value
        }
        switch order {
        case nil, "desc"?, "normal"?: page.ascending = false
        case "asc"?: page.ascending = true
        default:
            return .failure(Refusal(.invalid(field: "order", code: "invalid_order", message: "order must be asc or desc.")))
        }
        if after != nil && before != nil {
            return .failure(Refusal(.invalid(field: "before", code: "before_and_after_provided",
                                             message: "Give either before or after, not both.")))
        }
        page.after = after.flatMap { $0.isEmpty ? nil : $0 }
        page.before = before.flatMap { $0.isEmpty ? nil : $0 }
        return .success(page)
    }

    /// One page of `table` rows matching `filter`, ordered by insertion, with the cursors of WorkOS.
    func fetch(_ db: Database, table: String, filter: String, arguments: StatementArguments) throws
        -> (rows: [Row], metadata: ListMetadata) {
        let cursorID = after ?? before
        var cursorSeq: Int64?
        if let cursorID {
            cursorSeq = try Int64.fetchOne(db, sql: "SELECT seq FROM \(table) WHERE id = ?", arguments: [cursorID])
            guard cursorSeq != nil else {
                throw Refusal(.invalid(field: after != nil ? "after" : "before", code: "invalid_cursor",
                                       message: "The cursor '\(cursorID)' does not name an object of this list."))
            }
        }
        // Walking backwards (a `before` cursor) flips the direction, then the page is put back in order.
        let backwards = before != nil
        let forwardAscending = ascending != backwards
        var conditions = filter.isEmpty ? [] : ["(\(filter))"]
        var args = arguments
        if let cursorSeq {
            conditions.append(forwardAscending ? "seq > ?" : "seq < ?")
            _ = args.append(contentsOf: [cursorSeq])
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let sql = "SELECT * FROM \(table) \(whereClause) ORDER BY seq \(forwardAscending ? "ASC" : "DESC") LIMIT ?"
        _ = args.append(contentsOf: [limit + 1])
        var rows = try Row.fetchAll(db, sql: sql, arguments: args)
        let hasMore = rows.count > limit
        if hasMore { rows.removeLast() }
        if backwards { rows.reverse() }
        let ids = rows.map { $0["id"] as String }
        var metadata = ListMetadata()
        if backwards {
            metadata.before = hasMore ? ids.first : nil
            metadata.after = ids.last
        } else {
            metadata.after = hasMore ? ids.last : nil
            metadata.before = cursorID == nil ? nil : ids.first
        }
        return (rows, metadata)
    }
}
