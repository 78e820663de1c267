#if HASHPORT_TUNED_HASWELL && arch(x86_64) && canImport(_Builtin_intrinsics)
import _Builtin_intrinsics.intel.cpuid
#endif
#if canImport(Glibc)
import Glibc
#endif

/// The CPU a host-tuned build needs. `make build` on a machine with AVX2 compiles every module for the
/// Haswell level of x86-64 (AVX2, BMI1/2, FMA, F16C, LZCNT, MOVBE, POPCNT: fewer instructions in the
/// readers' loops); such a binary, copied to an older CPU, says so before anything else runs, instead of
/// stopping on an illegal instruction. A portable build (`make build PORTABLE=1`) checks nothing.
enum HostCPU {
    /// Exits with status 2 and a sentence when this CPU lacks what the build may use. Integer code and C
    /// calls only: nothing here may need the features it checks.
    static func refuseIfTooOld() {
        #if HASHPORT_TUNED_HASWELL && arch(x86_64) && canImport(_Builtin_intrinsics)
        var a: UInt32 = 0, b: UInt32 = 0, c: UInt32 = 0, d: UInt32 = 0
        _ = __get_cpuid(1, &a, &b, &c, &d)
        // FMA, SSE4.2, MOVBE, POPCNT, OSXSAVE, AVX, F16C.
        let leaf1: UInt32 = 1 << 12 | 1 << 20 | 1 << 22 | 1 << 23 | 1 << 27 | 1 << 28 | 1 << 29
        var ok = c & leaf1 == leaf1
        a = 0; b = 0; c = 0; d = 0
        _ = __get_cpuid_count(7, 0, &a, &b, &c, &d)
        let leaf7: UInt32 = 1 << 3 | 1 << 5 | 1 << 8   // BMI1, AVX2, BMI2
        ok = ok && b & leaf7 == leaf7
        a = 0; b = 0; c = 0; d = 0
        _ = __get_cpuid(0x8000_0001, &a, &b, &c, &d)
        ok = ok && c & (1 << 5) != 0   // LZCNT
        if !ok {
            let message: StaticString = """
                Error: this hashport was built for CPUs with AVX2, BMI1/2, FMA, F16C, LZCNT and MOVBE (make build on \
                such a machine), and this CPU lacks some of them. Build it here with `make build`, or for any x86-64 \
                with `make build PORTABLE=1`.

                """
            _ = write(2, message.utf8Start, message.utf8CodeUnitCount)
            exit(2)
        }
        #endif
    }
}
