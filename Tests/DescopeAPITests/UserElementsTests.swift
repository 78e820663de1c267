import Foundation
import Testing
@testable import DescopeAPI

@Suite struct UserElementsTests {
    private func answer(_ text: String) throws -> (users: [UserElement], total: Int?) {
        var t = text
        return try t.withUTF8 { try UserElements.answer(UnsafeRawBufferPointer($0)) }
    }

    private func any(_ text: String) throws -> [UserElement] {
        var t = text
        return try t.withUTF8 { try UserElements.anyEnvelope(UnsafeRawBufferPointer($0)) }
    }

    @Test func findsEachUserByteForByteAndItsFields() throws {
        let first = #"{"userId":"U1","status":"enabled","test":false,"createdTime":1700000000,"customAttributes":{"userId":"nested","test":true}}"#
        let second = #"{ "createdTime" : 1.7e9 , "USERID":"U\u00e9\"2", "status":"invited", "test":true }"#
        let text = #"{"total":2,"users":["# + first + ",\n  " + second + "],\"extra\":[1,{\"a\":null}]}"
        let (users, total) = try answer(text)
        #expect(total == 2)
        #expect(users.count == 2)
        let bytes = Array(text.utf8)
        #expect(String(decoding: bytes[users[0].range], as: UTF8.self) == first)
        #expect(String(decoding: bytes[users[1].range], as: UTF8.self) == second)
        #expect(users[0].userId == "U1" && users[0].status == "enabled" && !users[0].test)
        #expect(users[0].createdTime == 1_700_000_000)
        // The nested customAttributes.userId / test are not the user's.
        #expect(users[1].userId == "Ué\"2" && users[1].status == "invited" && users[1].test)
        #expect(users[1].createdTime == 1_700_000_000)
    }

    @Test func refusesBrokenAnswers() {
        for text in [#"{"users":[{"userId":"U1"}"#, #"{"users":[{"userId":"U1",}]}"#, #"{"total":3}"#,
                     #"{"users":[1,2]}"#, #"{"users":[{"a":tru}]}"#, "{\"users\":[{\"a\":\"x\ny\"}]}",
                     #"{"users":[{"a":01}]}"#, #"{"users":[]} trailing"#, #"[{"userId":"U1"}]"#] {
            #expect(throws: UserElements.Failure.self, "\(text)") { _ = try answer(text) }
        }
    }

    @Test func readsEveryEnvelope() throws {
        let user = #"{"userId":"U1","createdTime":5}"#
        let other = #"{"userId":"U2"}"#
        #expect(try any(#"{"users":["# + user + "," + other + #"],"total":2}"#).map(\.userId) == ["U1", "U2"])
        #expect(try any("[" + user + "," + other + "]").map(\.userId) == ["U1", "U2"])
        #expect(try any(#"{"ok":true,"count":1,"users":["# + user + "]}").map(\.userId) == ["U1"])
        #expect(try any(#"{"user":"# + user + "}").map(\.userId) == ["U1"])
        #expect(try any(user + "\n" + other + "\n").map(\.userId) == ["U1", "U2"])
        #expect(try any("\u{FEFF}" + user).map(\.userId) == ["U1"])
    }

    /// Random documents built from random values: the scanner's ranges parse (with Foundation) to exactly the
    /// objects that were put in, and its fields agree with them.
    @Test func agreesWithFoundationOnRandomDocuments() throws {
        var generator = SystemRandomNumberGenerator()
        func value(_ depth: Int) -> Any {
            switch Int.random(in: 0..<(depth > 2 ? 4 : 6), using: &generator) {
            case 0: return Int.random(in: -1_000_000...1_000_000, using: &generator)
            case 1: return String((0..<Int.random(in: 0..<12, using: &generator)).map { _ in
                "aZ0\"\\/\n\té😀\u{1}".randomElement(using: &generator)! })
            case 2: return Bool.random(using: &generator)
            case 3: return NSNull()
            case 4: return (0..<Int.random(in: 0..<4, using: &generator)).map { _ in value(depth + 1) }
            default: return Dictionary(uniqueKeysWithValues: (0..<Int.random(in: 0..<4, using: &generator)).map {
                ("k\($0)", value(depth + 1)) })
            }
        }
        for round in 0..<200 {
            let objects: [[String: Any]] = (0..<Int.random(in: 0..<6, using: &generator)).map { i in
                var o: [String: Any] = ["userId": "U\(round)-\(i)\"é", "createdTime": 1_600_000_000 + i,
                                        "test": i % 2 == 0, "status": ["enabled", "disabled"][i % 2]]
                for k in 0..<Int.random(in: 0..<4, using: &generator) { o["f\(k)"] = value(0) }
                return o
            }
            let options: JSONSerialization.WritingOptions = round % 2 == 0 ? [.prettyPrinted] : []
            let data = try JSONSerialization.data(withJSONObject: ["users": objects, "total": objects.count], options: options)
            let bytes = Array(data)
            let (users, total) = try bytes.withUnsafeBytes { try UserElements.answer($0) }
            #expect(total == objects.count)
            #expect(users.count == objects.count)
            for (user, object) in zip(users, objects) {
                let parsed = try JSONSerialization.jsonObject(with: Data(bytes[user.range])) as? NSDictionary
                #expect(parsed == object as NSDictionary)
                #expect(user.userId == object["userId"] as? String)
                #expect(user.createdTime == Int64(object["createdTime"] as! Int))
                #expect(user.test == object["test"] as! Bool)
                #expect(user.status == object["status"] as? String)
            }
        }
    }
}
