/// Hashes with known passwords, shared by the tests of this target.
enum TestHashes {
    /// pybcrypt's vector, password "a".
    static let bcrypt = "$2a$10$k87L/MF28Q673VKh8/cPi.SUl7MU/rWuSiIDDFayrKk/1tBsSQu4u"
    /// password "password".
    static let argon2id = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"
}
