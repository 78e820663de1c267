import Foundation

/// Files in a fresh temporary directory, and `hashport` run on them as a subprocess (see `HashportBinary`).
struct CommandFixture {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("hashport-cmd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try text.write(toFile: path(name), atomically: true, encoding: .utf8)
        return path(name)
    }

    typealias Result = HashportBinary.Outcome

    /// Runs `hashport` with this fixture's directory as the working directory.
    func run(_ arguments: [String]) throws -> Result { try HashportBinary.run(arguments, directory: directory) }

    /// A support CSV whose outcomes are worked out by hand (see the comments at each use).
    static let supportCSV = """
    user_id,email,name,verified_email,status,password_hash
    U1,ada@example.com,Ada Lovelace,true,enabled,$2a$10$k87L/MF28Q673VKh8/cPi.SUl7MU/rWuSiIDDFayrKk/1tBsSQu4u
    U2,grace@example.com,Grace Hopper,true,enabled,"$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"
    U3,alan@example.com,Alan Turing,false,enabled,pbkdf2_sha256$30000$seasalt$VrX+V8drCGo68wlvy6rfu8i1d1pfkdeXA4LJkRGJodY=
    U4,ADA@example.com,Ada Again,true,enabled,$2a$10$k87L/MF28Q673VKh8/cPi.SUl7MU/rWuSiIDDFayrKk/1tBsSQu4u
    U5,,No Email,true,enabled,$2a$10$k87L/MF28Q673VKh8/cPi.SUl7MU/rWuSiIDDFayrKk/1tBsSQu4u
    U6,old@example.com,Old User,true,disabled,$2a$10$k87L/MF28Q673VKh8/cPi.SUl7MU/rWuSiIDDFayrKk/1tBsSQu4u
    U7,nohash@example.com,No Hash,true,enabled,
    U8,django@example.com,Django User,true,enabled,pbkdf2_sha256$600000$pepperedsalt$uIPM0isJMTzzEqeI35Wxp9cKeo5KsV4DWxCZMrnxJ/g=
    U10,ragged@example.com,Ragged,true,enabled,$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc

    """
}
