import Testing
@testable import PasswordHashes

/// Each spelling is recognised as what it is: family, variant, the spelling name and the parameters.
@Suite struct SpellingTests {
    static let cases: [(String, HashFamily, String, String, [String: UInt64])] = [
        ("$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", .bcrypt, "2a", "mcf", ["cost": 5]),
        ("$2y$05$/OK.fbVrR/bpIqNJ5ianF.CE5elHaaO4EbggVDjb8P19RukzXSM3e", .bcrypt, "2y", "mcf", ["cost": 5]),
        ("$2x$05$/OK.fbVrR/bpIqNJ5ianF.CE5elHaaO4EbggVDjb8P19RukzXSM3e", .bcrypt, "2x", "mcf", ["cost": 5]),
        ("$2$05$......................J2ihDv8vVf7QZ9BsaRrKyqs2tkn55Yq", .bcrypt, "2", "mcf", ["cost": 5]),
        ("bcrypt$$2b$04$CCCCCCCCCCCCCCCCCCCCC.ug0A3dTXhy5U.dFjx/qguZ8I4CB77BC", .bcrypt, "2b", "django", ["cost": 4]),
        ("$argon2i$m=65536,t=2,p=1$c29tZXNhbHQ$9sTbSlTio3Biev89thdrlKKiCaYsjjYVJxGAL3swxpQ", .argon2, "argon2i", "phc", ["v": 16, "m": 65536, "t": 2, "p": 1]),
        ("$argon2d$v=19$m=102400,t=2,p=8$g2RodLh8j8WbSdCp+lUy/A$zzAJqL/HSjm809PYQu6qkA", .argon2, "argon2d", "phc", ["v": 19, "m": 102400, "t": 2, "p": 8]),
        ("argon2$argon2i$v=19$m=256,t=1,p=1$c29tZXNhbHQ$AJFIsNZTMKTAewB4+ETN1A", .argon2, "argon2i", "django", ["v": 19, "m": 256, "t": 1, "p": 1]),
        ("$pbkdf2$i=600000,d=sha512$c2FsdA$DGDID5YfDnHzqbUkr2ASBi/gN6Y", .pbkdf2, "sha512", "workos", ["i": 600000]),
        ("$pbkdf2$i=1,l=20$c2FsdA$DGDID5YfDnHzqbUkr2ASBi/gN6Y", .pbkdf2, "sha1", "phc", ["i": 1]),
        ("$pbkdf2-sha256$i=4096,l=40$c2FsdFNBTFRzYWx0U0FMVHNhbHRTQUxUc2FsdFNBTFRzYWx0$NIyJ28vTKy8y2BS4EW6EzysXNH68GAAYHE4qH7jdU+HGNVGMfaxH6Q", .pbkdf2, "sha256", "phc", ["i": 4096]),
        ("$pbkdf2$1212$OB.dtnSEXZK8U5cgxU/GYQ$y5LKPOplRmok7CZp/aqVDVg8zGI", .pbkdf2, "sha1", "passlib", ["i": 1212]),
        ("pbkdf2_sha256$30000$seasalt$VrX+V8drCGo68wlvy6rfu8i1d1pfkdeXA4LJkRGJodY=", .pbkdf2, "sha256", "django", ["i": 30000]),
        ("pbkdf2:sha256:600000$8wGQYyMo2yPm1Vxc$0d5153c3a50e7223840b43d8de84414a10efcea74a340fc27b1a0259ae2be708", .pbkdf2, "sha256", "werkzeug", ["i": 600000]),
        ("sha512:1000:NzY2:DNWohLbdIWIt4Npk9gpTvA==", .pbkdf2, "sha512", "hashcat", ["i": 1000]),
        ("{PBKDF2-SHA256}1212$4vjV83LKPjQzk31VI4E0Vw$hsYF68OiOUPdDZ1Fg.fJPeq1h/gXXY7acBp9/6c.tmQ", .pbkdf2, "sha256", "ldap", ["i": 1212]),
        ("{PKCS5S2}c4xaeTQM0lUieMS3V5voiexyX9XhqC2dBd5ecVy60IPksHChwoTAVYFrhsgoq8/p", .pbkdf2, "sha1", "atlassian", ["i": 10000]),
        ("AAABAgMEBQYHCAkKCwwNDg+ukCEMDf0yyQ29NYubggHIVY0sdEUfdyeM+E1LtH1uJg==", .pbkdf2, "sha1", "aspnet-v2", ["i": 1000]),
        ("AQAAAAEAA9CQAAAAIESkQuj2Du8Y+kbc5lcN/W/3NiAZFEm11P27nrSN5/tId+bR1SwV8CO1Jd72r4C08OLvplNlCDc3oQZ8efcW+jQ=", .pbkdf2, "sha256", "aspnet-v3", ["i": 250000]),
        ("$scrypt$ln=14,r=8,p=1$c2FsdA$DGDID5YfDnHzqbUkr2ASBi/gN6Y", .scrypt, "", "phc", ["n": 16384, "r": 8, "p": 1]),
        ("$scrypt$v=1$n=16384,r=8,p=1,kl=20$c2FsdA$DGDID5YfDnHzqbUkr2ASBi/gN6Y", .scrypt, "", "workos", ["n": 16384, "r": 8, "p": 1]),
        ("scrypt:32768:8:1$salt$0d5153c3a50e7223840b43d8de84414a", .scrypt, "", "werkzeug", ["n": 32768, "r": 8, "p": 1]),
        ("$firebase-scrypt$hash=AAAA$salt=AAAA$sk=AAAA$ss=Bw==$r=8$m=14", .firebaseScrypt, "", "workos", ["r": 8, "m": 14]),
        ("{SSHA256}PdDwo/zjNW4fChnEKQMy2pZSShtJAyJXonyy92vIpUShssPU5fYHGA==", .ssha256, "", "ldap", [:]),
        ("5f4dcc3b5aa765d61d8327deb882cf99", .md5, "", "hex", [:]),
        ("5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8", .sha, "sha1", "hex", [:]),
        ("$P$984478476IagS59wHZvyQMArzfx58u.", .phpass, "P", "phpass", ["rounds": 2048]),
        ("$6$rounds=5000$salt$abc", .sha512crypt, "", "crypt", [:]),
        ("bcrypt_sha256$$2b$12$abc", .bcryptSHA256, "", "django", [:]),
        ("{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=", .sha, "sha1", "ldap", [:]),
        ("{CRYPT}$2b$04$CCCCCCCCCCCCCCCCCCCCC.ug0A3dTXhy5U.dFjx/qguZ8I4CB77BC", .bcrypt, "2b", "ldap", ["cost": 4]),
        ("{ARGON2}$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc", .argon2, "argon2id", "ldap", ["t": 2]),
        ("{CRYPT}$6$rounds=5000$salt$abc", .sha512crypt, "", "ldap", [:]),
        ("{CRYPT}ab01FAX.bQRSU", .des, "", "ldap", [:]),
        ("sha256$salt$abc", .sha, "sha256", "werkzeug", [:]),
    ]

    @Test(arguments: cases)
    func recognised(_ input: String, _ family: HashFamily, _ variant: String, _ spelling: String, _ params: [String: UInt64]) {
        let h = HashDetector.detect(input)
        #expect(h.value?.family == family && h.value?.variant == variant && h.value?.spelling == spelling, "\(h.error?.code ?? "")")
        for (name, value) in params { #expect(h.value?.param(name) == value, "\(name)") }
    }

    @Test func argon2KeyidAndDataAreCarriedAsExtras() {
        let h = HashDetector.detect("$argon2i$v=19$m=512,t=2,p=2,keyid=AQID,data=c29tZWRhdGE$c29tZXNhbHQ$KgHyCesFyyjkVkihZ5VNFw").value
        #expect(h?.extra("keyid") == [1, 2, 3] && h?.extra("data") == Array("somedata".utf8))
        #expect(h?.workOSForm().error?.code == "argon2_keyed_hash")
    }

    @Test func ldapWrappedBcryptRewritesToTheBareString() {
        #expect(HashDetector.detect("{CRYPT}$2b$04$CCCCCCCCCCCCCCCCCCCCC.ug0A3dTXhy5U.dFjx/qguZ8I4CB77BC").value?.workOSForm().value?.string
                == "$2b$04$CCCCCCCCCCCCCCCCCCCCC.ug0A3dTXhy5U.dFjx/qguZ8I4CB77BC")
    }

    @Test func surroundingWhitespaceIsTrimmedAndBcryptStillPassesThroughExactly() {
        let s = "$2b$04$CCCCCCCCCCCCCCCCCCCCC.ug0A3dTXhy5U.dFjx/qguZ8I4CB77BC"
        #expect(HashDetector.detect("  \(s)\r\n").value?.workOSForm().value?.string == s)
    }
}
