#ifndef HASHPORT_CARGON2_SHIM_H
#define HASHPORT_CARGON2_SHIM_H
#include <argon2.h>
#endif
