/// Memory for the parts of a `UserView` that are not in the reader's window: unescaped or lower-cased text, the
/// arrays of spans behind lists, tenants and attributes. Nothing moves once written (new chunks are added, never
/// grown), so every span stays valid until `reset()`, which the reader calls before each record.
public final class ViewArena {
    // Confined to the reader that owns it: no dynamic exclusivity checks on every allocation.
    @exclusivity(unchecked) private var chunks: [UnsafeMutableRawPointer] = []
    @exclusivity(unchecked) private var sizes: [Int] = []
    @exclusivity(unchecked) private var current = 0
    @exclusivity(unchecked) private var used = 0
    private let chunkSize: Int

    public init(chunkSize: Int = 64 << 10) {
        self.chunkSize = chunkSize
        chunks.append(.allocate(byteCount: chunkSize, alignment: 16))
        sizes.append(chunkSize)
    }

    deinit { for c in chunks { c.deallocate() } }

    /// Invalidates every span handed out; keeps the memory (a large record's extra chunks are freed).
    public func reset() {
        if chunks.count > 4 {
            for c in chunks[4...] { c.deallocate() }
            chunks.removeSubrange(4...)
            sizes.removeSubrange(4...)
        }
        current = 0
        used = 0
    }

    /// Room for `count` values of a trivial type, uninitialised.
    public func allocate<T>(_ type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        let alignment = MemoryLayout<T>.alignment
        let bytes = MemoryLayout<T>.stride * max(count, 1)
        return raw(bytes, alignment: alignment).bindMemory(to: T.self, capacity: max(count, 1))
    }

    private func raw(_ bytes: Int, alignment: Int) -> UnsafeMutableRawPointer {
        var start = (used + alignment - 1) & ~(alignment - 1)
        if start + bytes > sizes[current] {
            current += 1
            if current == chunks.count || sizes[current] < bytes {
                let size = max(chunkSize, bytes)
                let chunk = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
                if current == chunks.count { chunks.append(chunk); sizes.append(size) } else {
                    chunks[current].deallocate(); chunks[current] = chunk; sizes[current] = size
                }
            }
            start = 0
        }
        used = start + bytes
        return chunks[current] + start
    }

    /// A copy of `bytes`.
    public func copy(_ bytes: UnsafeRawBufferPointer) -> TextSpan {
        guard bytes.count > 0 else { return .empty }
        let p = raw(bytes.count, alignment: 1)
        p.copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        return TextSpan(base: UnsafePointer(p.assumingMemoryBound(to: UInt8.self)), count: bytes.count)
    }

    public func copy(_ s: String) -> TextSpan {
        var s = s
        return s.withUTF8 { copy(UnsafeRawBufferPointer($0)) }
    }

    /// At most `capacity` bytes written by `fill`, which returns how many it wrote.
    public func write(capacity: Int, _ fill: (UnsafeMutablePointer<UInt8>) -> Int) -> TextSpan {
        guard capacity > 0 else { return .empty }
        let p = raw(capacity, alignment: 1).assumingMemoryBound(to: UInt8.self)
        let n = fill(p)
        used -= capacity - n
        return TextSpan(base: n == 0 ? nil : UnsafePointer(p), count: n)
    }

    /// The spans as a list in the arena.
    public func list(_ spans: [TextSpan]) -> SpanList {
        guard !spans.isEmpty else { return .empty }
        let p = allocate(TextSpan.self, count: spans.count)
        p.initialize(from: spans, count: spans.count)
        return SpanList(base: UnsafePointer(p), count: spans.count)
    }

    public func tenants(_ tenants: [TenantView]) -> TenantList {
        guard !tenants.isEmpty else { return .empty }
        let p = allocate(TenantView.self, count: tenants.count)
        p.initialize(from: tenants, count: tenants.count)
        return TenantList(base: UnsafePointer(p), count: tenants.count)
    }

    public func attributes(_ attributes: [AttributeView]) -> AttributeList {
        guard !attributes.isEmpty else { return .empty }
        let p = allocate(AttributeView.self, count: attributes.count)
        p.initialize(from: attributes, count: attributes.count)
        return AttributeList(base: UnsafePointer(p), count: attributes.count)
    }

    public func cells(_ cells: [ObjectCellView]) -> ObjectCellList {
        guard !cells.isEmpty else { return .empty }
        let p = allocate(ObjectCellView.self, count: cells.count)
        p.initialize(from: cells, count: cells.count)
        return ObjectCellList(base: UnsafePointer(p), count: cells.count)
    }
}
