#include "csqlite_link.h"

typedef void (*csqlite_destructor)(void *);

int sqlite_nio_sqlite3_bind_text64(
    sqlite3_stmt *statement, int index, const char *text, uint64_t bytes, csqlite_destructor destructor,
    unsigned char encoding);
int sqlite_nio_sqlite3_bind_blob64(
    sqlite3_stmt *statement, int index, const void *bytes, uint64_t count, csqlite_destructor destructor);

// SQLITE_TRANSIENT: SQLite copies the value before the call returns.
#define CSQLITE_TRANSIENT ((csqlite_destructor)-1)
#define CSQLITE_UTF8 1

int csqlite_bind_text(sqlite3_stmt *statement, int index, const char *text, int64_t bytes) {
    return sqlite_nio_sqlite3_bind_text64(statement, index, text, (uint64_t)bytes, CSQLITE_TRANSIENT, CSQLITE_UTF8);
}

int csqlite_bind_blob(sqlite3_stmt *statement, int index, const void *bytes, int64_t count) {
    return sqlite_nio_sqlite3_bind_blob64(statement, index, bytes, (uint64_t)count, CSQLITE_TRANSIENT);
}

