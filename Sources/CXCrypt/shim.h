#ifndef HASHPORT_CXCRYPT_SHIM_H
#define HASHPORT_CXCRYPT_SHIM_H
#include <crypt.h>
#endif
