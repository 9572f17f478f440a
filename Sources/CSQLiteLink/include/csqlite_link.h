// The few SQLite C functions Closeloop calls directly, declared against the SQLite that sqlite-nio compiles into
// every binary (its functions carry the `sqlite_nio_` prefix). Closeloop must use that same SQLite and no second
// copy: two SQLite libraries in one process release each other's POSIX locks on the same file
// (https://sqlite.org/howtocorrupt.html, "Multiple copies of SQLite linked into the same application").
#ifndef CSQLITE_LINK_H
#define CSQLITE_LINK_H

#include <stdint.h>

typedef struct sqlite3 sqlite3;
typedef struct sqlite3_stmt sqlite3_stmt;

#define CSQLITE_OK 0
#define CSQLITE_ROW 100
#define CSQLITE_DONE 101

#define CSQLITE_INTEGER 1
#define CSQLITE_FLOAT 2
#define CSQLITE_TEXT 3
#define CSQLITE_BLOB 4
#define CSQLITE_NULL 5

#define CSQLITE_OPEN_READWRITE 0x00000002
#define CSQLITE_OPEN_CREATE 0x00000004
#define CSQLITE_OPEN_NOMUTEX 0x00008000
#define CSQLITE_OPEN_EXRESCODE 0x02000000

#define CSQLITE_PREPARE_PERSISTENT 0x01

int sqlite_nio_sqlite3_open_v2(const char *filename, sqlite3 **db, int flags, const char *vfs);
int sqlite_nio_sqlite3_close_v2(sqlite3 *db);
int sqlite_nio_sqlite3_busy_timeout(sqlite3 *db, int milliseconds);
int sqlite_nio_sqlite3_extended_errcode(sqlite3 *db);
const char *sqlite_nio_sqlite3_errmsg(sqlite3 *db);
const char *sqlite_nio_sqlite3_errstr(int code);
int sqlite_nio_sqlite3_get_autocommit(sqlite3 *db);

int sqlite_nio_sqlite3_prepare_v3(
    sqlite3 *db, const char *sql, int bytes, unsigned int flags, sqlite3_stmt **statement, const char **tail);
int sqlite_nio_sqlite3_step(sqlite3_stmt *statement);
int sqlite_nio_sqlite3_reset(sqlite3_stmt *statement);
int sqlite_nio_sqlite3_finalize(sqlite3_stmt *statement);

int sqlite_nio_sqlite3_bind_parameter_count(sqlite3_stmt *statement);
int sqlite_nio_sqlite3_bind_double(sqlite3_stmt *statement, int index, double value);
int sqlite_nio_sqlite3_bind_int64(sqlite3_stmt *statement, int index, int64_t value);
int sqlite_nio_sqlite3_bind_null(sqlite3_stmt *statement, int index);

int sqlite_nio_sqlite3_column_count(sqlite3_stmt *statement);
const char *sqlite_nio_sqlite3_column_name(sqlite3_stmt *statement, int column);
int sqlite_nio_sqlite3_column_type(sqlite3_stmt *statement, int column);
int64_t sqlite_nio_sqlite3_column_int64(sqlite3_stmt *statement, int column);
double sqlite_nio_sqlite3_column_double(sqlite3_stmt *statement, int column);
const unsigned char *sqlite_nio_sqlite3_column_text(sqlite3_stmt *statement, int column);
const void *sqlite_nio_sqlite3_column_blob(sqlite3_stmt *statement, int column);
int sqlite_nio_sqlite3_column_bytes(sqlite3_stmt *statement, int column);

/// Binds a copy of UTF-8 text (SQLITE_TRANSIENT, a cast Swift cannot spell).
int csqlite_bind_text(sqlite3_stmt *statement, int index, const char *text, int64_t bytes);
/// Binds a copy of a blob (SQLITE_TRANSIENT).
int csqlite_bind_blob(sqlite3_stmt *statement, int index, const void *bytes, int64_t count);

#endif
