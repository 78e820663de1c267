import CSimdJSON
import Testing

/// hp_json_scan_value (AVX2 here, when the CPU has it) and its baseline (SSE2) against a byte-at-a-time reference,
/// on random bytes made of the characters that matter: brackets, quotes, backslashes, and filler.
@Suite struct JSONStructureScanTests {
    enum Outcome: Equatable { case complete(Int), incomplete, tooDeep }

    static func reference(_ b: [UInt8], start: Int, limit: Int, maxDepth: Int) -> Outcome {
        var depth = 0, inString = false, escapeNext = false
        for i in start..<limit {
            let c = b[i]
            let escaped = escapeNext
            escapeNext = c == UInt8(ascii: "\\") && !escaped
            if c == UInt8(ascii: "\""), !escaped { inString.toggle(); continue }
            if inString { continue }
            if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
                depth += 1
                if depth > maxDepth { return .tooDeep }
            } else if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
                if depth <= 1 { return .complete(i + 1) }
                depth -= 1
            }
        }
        return .incomplete
    }

    static func outcome(_ status: hp_json_scan_status, _ end: Int) -> Outcome {
        switch status {
        case HP_JSON_SCAN_COMPLETE: return .complete(end)
        case HP_JSON_SCAN_TOO_DEEP: return .tooDeep
        default: return .incomplete
        }
    }

    @Test func bothScansAgreeWithTheReference() {
        var rng = SplitMix64(state: 7)
        let alphabet = Array("{}[]\"\\\\\"aa ,:".utf8)
        var checked = 0
        for round in 0..<3000 {
            let n = 1 + Int(rng.next() % 400)
            var bytes = (0..<n).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            let start = Int(rng.next() % UInt64(min(8, n)))
            bytes[start] = UInt8(ascii: round % 2 == 0 ? "{" : "[")
            let limit = start + Int(rng.next() % UInt64(n - start + 1))
            let maxDepth = round % 5 == 0 ? 3 : 60
            let padded = bytes + [UInt8](repeating: 0, count: 64)
            let want = Self.reference(padded, start: start, limit: limit, maxDepth: maxDepth)
            padded.withUnsafeBufferPointer { p in
                var end = 0, baselineEnd = 0
                let fast = hp_json_scan_value(p.baseAddress, start, limit, UInt32(maxDepth), &end)
                let baseline = hp_json_scan_value_baseline(p.baseAddress, start, limit, UInt32(maxDepth), &baselineEnd)
                #expect(Self.outcome(fast, end) == want, "round \(round)")
                #expect(Self.outcome(baseline, baselineEnd) == want, "round \(round) (baseline)")
            }
            if case .complete = want { checked += 1 }
        }
        #expect(checked > 300, "\(checked) complete values among the samples")
    }
}
