/// The user ids already written, compared exactly. The ids live end to end in one byte arena and an
/// open-addressing table holds their offsets: one allocation for all the ids instead of one per id (a
/// 29-character Descope id is not a small string), about 35 bytes of arena and 16-32 of table each.
struct UserIdSet {
    /// `[length: UInt32][bytes]` per id.
    private var arena: [UInt8] = []
    /// Arena offset + 1 per slot; 0 = empty. The capacity is a power of two, at most half full.
    private var slots: [Int]
    private(set) var count = 0

    init(minimumCapacity: Int = 1024) {
        var capacity = 16
        while capacity < minimumCapacity * 2 { capacity <<= 1 }
        slots = Array(repeating: 0, count: capacity)
    }

    func contains(_ id: String) -> Bool {
        var id = id
        return id.withUTF8 { find(UnsafeRawBufferPointer($0)).found }
    }

    /// Adds `id`; false when it was already there.
    @discardableResult
    mutating func insert(_ id: String) -> Bool {
        var id = id
        return id.withUTF8 { insert(UnsafeRawBufferPointer($0)) }
    }

    private mutating func insert(_ id: UnsafeRawBufferPointer) -> Bool {
        let (found, slot) = find(id)
        if found { return false }
        slots[slot] = arena.count + 1
        var length = UInt32(truncatingIfNeeded: id.count).littleEndian
        withUnsafeBytes(of: &length) { arena.append(contentsOf: $0) }
        arena.append(contentsOf: id)
        count += 1
        if count * 2 > slots.count { grow() }
        return true
    }

    /// Whether `id` is present, and its slot (or the empty slot where it would go).
    private func find(_ id: UnsafeRawBufferPointer) -> (found: Bool, slot: Int) {
        let mask = slots.count - 1
        var slot = Self.hash(id) & mask
        return arena.withUnsafeBytes { arena in
            while true {
                let entry = slots[slot]
                if entry == 0 { return (false, slot) }
                if Self.equal(arena, at: entry - 1, id) { return (true, slot) }
                slot = (slot + 1) & mask
            }
        }
    }

    private mutating func grow() {
        var bigger = Array(repeating: 0, count: slots.count * 2)
        let mask = bigger.count - 1
        arena.withUnsafeBytes { arena in
            for entry in slots where entry != 0 {
                var slot = Self.hash(Self.bytes(arena, at: entry - 1)) & mask
                while bigger[slot] != 0 { slot = (slot + 1) & mask }
                bigger[slot] = entry
            }
        }
        slots = bigger
    }

    private static func bytes(_ arena: UnsafeRawBufferPointer, at offset: Int) -> UnsafeRawBufferPointer {
        let length = Int(UInt32(littleEndian: arena.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        return UnsafeRawBufferPointer(rebasing: arena[(offset + 4)..<(offset + 4 + length)])
    }

    private static func equal(_ arena: UnsafeRawBufferPointer, at offset: Int, _ id: UnsafeRawBufferPointer) -> Bool {
        let stored = bytes(arena, at: offset)
        return stored.count == id.count && stored.elementsEqual(id)
    }

    /// FNV-1a, then a final mix so the low bits (the slot) depend on every byte.
    private static func hash(_ bytes: UnsafeRawBufferPointer) -> Int {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        return Int(truncatingIfNeeded: h)
    }
}
