import Testing
@testable import HTTPRetry

@Suite struct RetryAfterTests {
    @Test func readsSeconds() {
        #expect(RetryAfter.parse("3", now: 0) == .seconds(3))
        #expect(RetryAfter.parse(" 0 ", now: 0) == .zero)
    }

    @Test func capsLongWaits() {
        #expect(RetryAfter.parse("120", now: 0) == .seconds(60))
        #expect(RetryAfter.parse("99999999999999999999", now: 0) == .seconds(60))
        #expect(RetryAfter.parse("30", now: 0, cap: .seconds(10)) == .seconds(10))
    }

    @Test func readsHTTPDate() {
        // 1994-11-06T08:49:37Z is 784111777 seconds after the epoch.
        #expect(RetryAfter.parseIMFFixdate("Sun, 06 Nov 1994 08:49:37 GMT") == 784_111_777)
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:49:37 GMT", now: 784_111_772) == .seconds(5))
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:49:37 GMT", now: 784_111_800) == .zero)
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:49:37 GMT", now: 700_000_000) == .seconds(60))
    }

    @Test func refusesGarbage() {
        #expect(RetryAfter.parse(nil, now: 0) == nil)
        #expect(RetryAfter.parse("", now: 0) == nil)
        #expect(RetryAfter.parse("-1", now: 0) == nil)
        #expect(RetryAfter.parse("soon", now: 0) == nil)
        #expect(RetryAfter.parse("Sun, 32 Nov 1994 08:49:37 GMT", now: 0) == nil)
        #expect(RetryAfter.parse("Sun, 06 Foo 1994 08:49:37 GMT", now: 0) == nil)
    }
}
