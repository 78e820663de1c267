/// A growable buffer of plain values for the shape cache's per-row state: read and written without an array's
/// reference counting and uniqueness checks (a retain is an atomic that waits for the row's stores). Indexes are
/// checked. Plain values only (no references); owned by one object, which calls `deallocate()`.
struct PlainBuffer<Element> {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 16) {
        precondition(_isPOD(Element.self), "plain values only: they are copied as bytes and never deinitialised")
        self.capacity = Swift.max(capacity, 1)
        base = .allocate(capacity: self.capacity)
    }

    func deallocate() { base.deallocate() }

    var isEmpty: Bool { count == 0 }
    var indices: Range<Int> { 0..<count }

    subscript(i: Int) -> Element {
        get { precondition(i >= 0 && i < count); return base[i] }
        nonmutating set { precondition(i >= 0 && i < count); base[i] = newValue }
    }

    mutating func append(_ element: Element) {
        reserve(1)
        base[count] = element
        count += 1
    }

    /// The elements `range` as a buffer (valid until the next append).
    func elements(_ range: Range<Int>) -> UnsafeBufferPointer<Element> {
        precondition(range.lowerBound >= 0 && range.upperBound <= count)
        return UnsafeBufferPointer(start: base + range.lowerBound, count: range.count)
    }

    private mutating func reserve(_ more: Int) {
        guard count + more > capacity else { return }
        while count + more > capacity { capacity *= 2 }
        let grown = UnsafeMutablePointer<Element>.allocate(capacity: capacity)
        grown.update(from: base, count: count)
        base.deallocate()
        base = grown
    }
}

extension PlainBuffer where Element == UInt8 {
    mutating func append(contentsOf bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        UnsafeMutableRawPointer(base + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    /// The bytes `range` as a raw buffer (valid until the next append).
    func bytes(_ range: Range<Int>) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(elements(range)) }
}
