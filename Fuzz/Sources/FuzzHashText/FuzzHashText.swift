// Hash detection from a whole string (PHC, MCF, Django, passlib, LDAP, Firebase, a Descope hash object, …). Each line
// of the input is one hash. Oracles:
// - round trip: a hash WorkOS takes is written as a WorkOS string that reads back to the same hash, both through the
//   detector and through WorkOS's own acceptance check (what the emulator applies), and is written again unchanged;
// - the shape cache (the per-row fast path) gives every line the verdict the detector gives it, lines before it
//   having taught it their shapes.
import FuzzSupport
import HashOracles
import PasswordHashes

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHashText(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    let shapes = HashShapes()
    for line in input.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true).prefix(8) {
        let bytes = UnsafeRawBufferPointer(rebasing: line)
        let text = String(decoding: bytes, as: UTF8.self)
        if case .success(let hash) = HashDetector.detect(text) { checkRoundTrip(hash) }
        if text.first == "{", let object = try? DescopeHashObject(json: text), case .success(let hash) = object.detect() {
            checkRoundTrip(hash)
        }
        for type in WorkOSPolicy.acceptedTypes.sorted() { _ = WorkOSPolicy.check(type: type, hash: text) }
        var fields = HashFieldBytes()
        fields.hash = bytes
        checkShapeCache(shapes, fields)
    }
    return 0
}
