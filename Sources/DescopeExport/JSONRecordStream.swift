/// The records of a Descope JSON export, one at a time, whatever the envelope: `{"users":[…],"total":N}`,
/// a bare array, `{"ok":true,"count":N,"users":[…]}`, `{"user":{…}}`, or NDJSON (one object a line).
/// Only one record is ever held in memory (plus the read window).
final class JSONRecordStream {
    enum Item {
        /// `number` is the 1-based element number in the input; `raw` its exact bytes (for the join index).
        case record(number: Int, value: JSONValue, raw: [UInt8])
        case problem(number: Int, message: String)
        /// An element `takeElement` read itself: its bytes are `start..<end` of the window (until the next call).
        case taken(number: Int, start: Int, end: Int)
    }

    /// Offered every array element and NDJSON line that opens with `{`, before JSONParser reads it: the element's
    /// end when the taker read it (complete in `start..<limit`; with `wholeLine`, nothing but whitespace after it
    /// up to `limit`), nil to leave it to JSONParser (which then words any problem).
    typealias ElementTaker = (_ number: Int, _ start: Int, _ limit: Int, _ wholeLine: Bool) -> Int?
    var takeElement: ElementTaker?

    /// Envelope keys whose array holds the records (`users`), and whose object is a single record (`user`).
    let arrayKey: String
    let singleKey: String
    let blocks: ByteBlocks
    private var number = 0
    private var done = false

    private enum State {
        case start
        /// Inside the top-level object: expecting a key or `}` (after a `,` when `needComma`).
        case envelope(needComma: Bool)
        /// Inside a record array: expecting an element or `]`; `nested` when the array sits in an envelope.
        case array(needComma: Bool, nested: Bool)
        /// Between top-level values (NDJSON, or trailing whitespace).
        case between
    }
    private var state = State.start
    /// Members of a top-level object that turned out not to be an envelope (so it is a record itself).
    private var pendingMembers: [(String, JSONValue)] = []
    private var sawEnvelopeKey = false
    /// Set once a top-level object turned out to be a record: later records are one a line (NDJSON) and are
    /// parsed within their line, so a truncated line cannot swallow the next one.
    private var ndjson = false

    init(blocks: ByteBlocks, arrayKey: String, singleKey: String) {
        self.blocks = blocks
        self.arrayKey = arrayKey
        self.singleKey = singleKey
    }

    var path: String { blocks.path }
    var recordsSeen: Int { number }

    func next() -> Item? {
        while !done {
            let startOfStep = blocks.start
            var parser = JSONParser(base: blocks.base, from: blocks.start, limit: blocks.end, atEOF: blocks.atEOF)
            do throws(JSONParser.Failure) {
                if let item = try step(&parser) { return item }
            } catch .needMore {
                blocks.start = startOfStep
                switch blocks.fill() {
                case .filled, .endOfInput: continue
                case .recordTooLarge:
                    done = true
                    number += 1
                    return .problem(number: number, message: "element \(number) is longer than \(blocks.maxRecordBytes >> 20) MiB; reading stopped")
                case .failed(let reason):
                    done = true
                    return .problem(number: number + 1, message: "reading failed: \(reason)")
                }
            } catch {
                guard case .invalid(let why, let offset) = error else { continue }
                return recover(why: why, at: offset)
            }
        }
        return nil
    }

    /// One step of the envelope machine. Consumes input (moves `blocks.start`) only when the step completes.
    private func step(_ parser: inout JSONParser) throws(JSONParser.Failure) -> Item? {
        switch state {
        case .start, .between:
            if case .start = state, parser.limit - parser.p >= 3, parser.byte(parser.p) == 0xEF,
               parser.byte(parser.p + 1) == 0xBB, parser.byte(parser.p + 2) == 0xBF {
                parser.p += 3   // UTF-8 BOM
            }
            parser.skipWhitespace()
            if parser.p >= parser.limit {
                if !parser.atEOF { throw .needMore }
                blocks.start = parser.p
                done = true
                if case .start = state { number += 1; return .problem(number: number, message: "no JSON value in the file") }
                return nil
            }
            let b = parser.byte(parser.p)
            if ndjson, b == UInt8(ascii: "{") { return try ndjsonLine(&parser) }
            if b == UInt8(ascii: "[") {
                parser.p += 1
                blocks.start = parser.p
                state = .array(needComma: false, nested: false)
            } else if b == UInt8(ascii: "{") {
                parser.p += 1
                blocks.start = parser.p
                pendingMembers = []
                sawEnvelopeKey = false
                state = .envelope(needComma: false)
            } else {
                throw .invalid("expected '{' or '[', found \(parser.describe(b))", offset: parser.p)
            }
            return nil

        case .envelope(let needComma):
            var c = try parser.peek()
            if c == UInt8(ascii: "}") {
                parser.p += 1
                blocks.start = parser.p
                state = .between
                if sawEnvelopeKey { return nil }
                // Not an envelope: the object was a record (a bare user, or one NDJSON line).
                ndjson = true
                number += 1
                let raw = JSONValue.object(pendingMembers)
                let item = Item.record(number: number, value: raw, raw: Array(raw.jsonText.utf8))
                pendingMembers = []
                return item
            }
            if needComma {
                guard c == UInt8(ascii: ",") else { throw .invalid("expected ',' or '}', found \(parser.describe(c))", offset: parser.p) }
                parser.p += 1
                c = try parser.peek()
            }
            guard c == UInt8(ascii: "\"") else { throw .invalid("expected a key string", offset: parser.p) }
            let key = try parser.parseString()
            try parser.expect(UInt8(ascii: ":"))
            let valueStart = try parser.peek()
            let lower = key.lowercased()
            if lower == arrayKey, valueStart == UInt8(ascii: "[") {
                parser.p += 1
                blocks.start = parser.p
                sawEnvelopeKey = true
                state = .array(needComma: false, nested: true)
                return nil
            }
            let elementStart = parser.p
            let value = try parser.parseValue(depth: 1)
            blocks.start = parser.p
            state = .envelope(needComma: true)
            if lower == singleKey, case .object = value {
                sawEnvelopeKey = true
                number += 1
                return .record(number: number, value: value, raw: bytes(elementStart, parser.p))
            }
            pendingMembers.append((key, value))
            return nil

        case .array(let needComma, let nested):
            var c = try parser.peek()
            if c == UInt8(ascii: "]") {
                parser.p += 1
                blocks.start = parser.p
                state = nested ? .envelope(needComma: true) : .between
                return nil
            }
            if needComma {
                guard c == UInt8(ascii: ",") else { throw .invalid("expected ',' or ']' after element \(number), found \(parser.describe(c))", offset: parser.p) }
                parser.p += 1
                c = try parser.peek()
            }
            let elementStart = parser.p
            if c == UInt8(ascii: "{"), let take = takeElement,
               let end = take(number + 1, elementStart, parser.limit, false) {
                blocks.start = end
                state = .array(needComma: true, nested: nested)
                number += 1
                return .taken(number: number, start: elementStart, end: end)
            }
            let value = try parser.parseValue(depth: 1)
            blocks.start = parser.p
            state = .array(needComma: true, nested: nested)
            number += 1
            return .record(number: number, value: value, raw: bytes(elementStart, parser.p))
        }
    }

    /// One NDJSON record, parsed within its line.
    private func ndjsonLine(_ parser: inout JSONParser) throws(JSONParser.Failure) -> Item {
        let newline = ByteScan.broadcast(10)
        let start = parser.p
        let lineEnd = ByteScan.first(newline, newline, in: parser.base, from: start, limit: parser.limit)
        if lineEnd == parser.limit && !parser.atEOF { throw .needMore }
        let next = min(lineEnd + 1, parser.limit)
        if let take = takeElement, let end = take(number + 1, start, lineEnd, true) {
            number += 1
            blocks.start = next
            return .taken(number: number, start: start, end: end)
        }
        var line = JSONParser(base: parser.base, from: start, limit: lineEnd, atEOF: true)
        number += 1
        do throws(JSONParser.Failure) {
            let value = try line.parseValue(depth: 0)
            let end = line.p
            line.skipWhitespace()
            guard line.p == lineEnd else { throw .invalid("text after the record", offset: line.p) }
            blocks.start = next
            return .record(number: number, value: value, raw: bytes(start, end))
        } catch {
            blocks.start = next
            let why: String
            if case .invalid(let reason, let offset) = error {
                why = "\(reason), byte \(blocks.discardedBytes + offset)"
            } else { why = "truncated" }
            return .problem(number: number, message: "element \(number): invalid JSON (\(why)); skipped to the next line")
        }
    }

    private func bytes(_ from: Int, _ to: Int) -> [UInt8] {
        Array(UnsafeRawBufferPointer(start: blocks.base + from, count: to - from))
    }

    /// After a syntax error: NDJSON resumes on the next line; inside an array or envelope nothing after the
    /// error can be trusted, so reading stops (and says so).
    private func recover(why: String, at offset: Int) -> Item {
        let failedNumber = number + 1
        let absolute = blocks.discardedBytes + offset
        switch state {
        case .between, .start:
            // Skip the rest of the line: the next line may be a good NDJSON record.
            skipLine(from: offset)
            number += 1
            state = .between
            return .problem(number: failedNumber, message: "element \(failedNumber): invalid JSON (\(why), byte \(absolute)); skipped to the next line")
        case .envelope:
            // A record object (NDJSON line) that broke midway: resume on the next line.
            if !sawEnvelopeKey {
                ndjson = true
                skipLine(from: max(offset, blocks.start))
                number += 1
                state = .between
                pendingMembers = []
                return .problem(number: failedNumber, message: "element \(failedNumber): invalid JSON (\(why), byte \(absolute)); skipped to the next line")
            }
            done = true
            return .problem(number: failedNumber, message: "invalid JSON after element \(number) (\(why), byte \(absolute)); reading stopped: later elements were not read")
        case .array:
            done = true
            return .problem(number: failedNumber, message: "element \(failedNumber): invalid JSON (\(why), byte \(absolute)); reading stopped: later elements were not read")
        }
    }

    /// Past the line break after `offset`, reading on into later windows when the line goes on past this one (a
    /// found-nothing at the window's end is not the line's end: found by fuzzing, a long broken line gave a second
    /// problem for its own rest).
    private func skipLine(from offset: Int) {
        let nl = ByteScan.first(ByteScan.broadcast(10), ByteScan.broadcast(10), in: blocks.base, from: offset, limit: blocks.end)
        if nl >= blocks.end && !blocks.atEOF {
            blocks.discardAll()
            skipToNextLine()
        } else {
            blocks.start = min(nl + 1, blocks.end)
        }
    }

    private func skipToNextLine() {
        while case .filled = blocks.fill() {
            let nl = ByteScan.first(ByteScan.broadcast(10), ByteScan.broadcast(10), in: blocks.base,
                                    from: blocks.start, limit: blocks.end)
            if nl < blocks.end { blocks.start = nl + 1; return }
            blocks.discardAll()
        }
    }
}
