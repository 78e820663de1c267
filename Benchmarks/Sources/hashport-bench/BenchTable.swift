import Glibc

/// Monotonic wall-clock seconds.
func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// Times `body` once, in seconds.
func timed(_ body: () -> Void) -> Double {
    let start = now()
    body()
    return now() - start
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2]
        : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

/// Runs `ours` and `reference` alternately (order flipped every round, so drift and neighbours' load hit
/// both alike) after one warm-up each; returns the median seconds per call of each.
func interleaved(rounds: Int, ours: () -> Void, reference: () -> Void) -> (ours: Double, reference: Double) {
    ours(); reference()
    var a: [Double] = [], b: [Double] = []
    for round in 0..<rounds {
        if round % 2 == 0 {
            a.append(timed(ours)); b.append(timed(reference))
        } else {
            b.append(timed(reference)); a.append(timed(ours))
        }
    }
    return (median(a), median(b))
}

/// One comparison row: hashport's time next to a reference, the ratio and the target it must meet.
struct BenchRow {
    var suite: String
    var name: String
    var ours: Double          // seconds per call (or per unit)
    var reference: Double
    var referenceName: String
    var target: Double        // maximum allowed ratio ours / reference
    var unit = "ms/call"

    var ratio: Double { ours / reference }
    var meetsTarget: Bool { ratio <= target }
}

struct BenchTable {
    let json: Bool
    /// When set, only rows whose name contains it are measured.
    var only: String? = nil
    var rows: [BenchRow] = []

    func wants(_ name: String) -> Bool { only.map { name.contains($0) } ?? true }

    mutating func add(_ row: BenchRow) {
        rows.append(row)
        if json {
            print(#"{"suite":"\#(row.suite)","name":"\#(row.name)","unit":"\#(row.unit)","ours":\#(row.ours * 1000),"#
                + #""reference":\#(row.reference * 1000),"reference_name":"\#(row.referenceName)","ratio":\#(row.ratio),"#
                + #""target":\#(row.target),"meets_target":\#(row.meetsTarget)}"#)
        }
    }

    func finish() {
        guard !json else { return }
        print(pad("benchmark", 34) + pad("hashport", 12) + pad("reference", 12) + pad("ratio", 8) + pad("target", 9) + "reference is")
        for r in rows {
            let unit = r.unit.split(separator: "/").first.map(String.init) ?? "ms"
            print(pad(r.name, 34) + pad(format(r.ours * 1000) + " " + unit, 12) + pad(format(r.reference * 1000) + " " + unit, 12)
                  + pad(format(r.ratio, digits: 3), 8) + pad("≤ " + format(r.target, digits: 2), 9)
                  + r.referenceName + (r.meetsTarget ? "" : "   ✘ MISSES TARGET"))
        }
    }

    private func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }
}

func format(_ value: Double, digits: Int = 1) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    var text = "\(rounded)"
    if let dot = text.firstIndex(of: ".") {
        let decimals = text.distance(from: dot, to: text.endIndex) - 1
        if decimals < digits { text += String(repeating: "0", count: digits - decimals) }
    }
    return text
}
