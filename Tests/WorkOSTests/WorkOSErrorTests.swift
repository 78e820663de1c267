import Testing
@testable import WorkOS

@Suite struct WorkOSErrorTests {
    @Test func recognisesDuplicateEmailInBothForms() {
        let current = WorkOSError(delivery: .answered, status: 400, code: "user_creation_error",
                                  errors: [.init(code: "email_not_available")], message: "")
        let older = WorkOSError(delivery: .answered, status: 400, code: "user_already_exists", message: "")
        #expect(current.isEmailNotAvailable && older.isEmailNotAvailable)
        #expect(current.subCodes == ["email_not_available"])
        #expect(!current.isRetryable)
    }

    @Test func transportFailuresAreRetryableAndSayWhetherSent() {
        let ambiguous = WorkOSError(delivery: .ambiguous, message: "connection closed")
        let notSent = WorkOSError(delivery: .notSent, message: "refused")
        #expect(ambiguous.isRetryable && ambiguous.isAmbiguous)
        #expect(notSent.isRetryable && !notSent.isAmbiguous)
    }

    @Test func descriptionCarriesStatusCodesAndRequestId() {
        let error = WorkOSError(delivery: .answered, status: 400, code: "user_creation_error",
                                errors: [.init(code: "email_not_available")], message: "Could not create user.",
                                requestId: "req_1")
        #expect(error.description == "HTTP 400 user_creation_error [email_not_available]: Could not create user. (request req_1)")
    }

    @Test func queryEscapingKeepsPlusAndAt() {
        #expect(QueryString.encode([("email", "a+b@x.co")]) == "?email=a%2Bb%40x.co")
        #expect(QueryString.escape("T 1/2") == "T%201%2F2")
    }
}
