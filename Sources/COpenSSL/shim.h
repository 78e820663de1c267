#ifndef HASHPORT_COPENSSL_SHIM_H
#define HASHPORT_COPENSSL_SHIM_H
/* The PBKDF2 fast path needs the SHA*_Transform compression functions, deprecated (not removed) in OpenSSL 3. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <openssl/hmac.h>
#include <openssl/crypto.h>
#include <openssl/kdf.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#endif
