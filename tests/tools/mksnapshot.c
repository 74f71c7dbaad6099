/*
 * mksnapshot SRC OUT: builds a Mac-root snapshot for the tests from text.
 *
 *   SRC/root/...              copied into OUT; a file "NAME.tobin" (an XML
 *                             plist) becomes the binary plist "NAME"; a file
 *                             "NAME.repeat" becomes "NAME" with each block
 *                             "@repeat N" ... "@end" written N times, "%d" in
 *                             it replaced by 0..N-1 (large inputs from small
 *                             text; ".tobin.repeat" does both); a file
 *                             "NAME.symlink" becomes a symbolic link "NAME" to
 *                             the file's first line
 *   SRC/KextPolicy.sql        run into OUT/var/db/SystemPolicyConfiguration/KextPolicy
 *   SRC/KextPolicy.wal.sql    with it: the database is put in WAL mode and
 *                             these statements stay in KextPolicy-wal only
 *   SRC/KextPolicy.raw        copied as the database file instead
 *   SRC/KextPolicy.truncate   a byte count: the built database is cut to it
 *   SRC/layout                "flat": var/, etc/ and tmp/ are plain folders;
 *                             otherwise (the default) they are symbolic links
 *                             into private/, as on every Mac, and the
 *                             database lives under private/var/db/
 *
 * OUT must not exist yet.
 */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <errno.h>
#include <plist/plist.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DBDIR "/var/db/SystemPolicyConfiguration"

_Noreturn static void die(const char *what, const char *why);

static void die(const char *what, const char *why)
{
    fprintf(stderr, "mksnapshot: %s: %s\n", what, why);
    exit(1);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n = -1;

    if (f == NULL)
        return NULL;
    /* One step at a time: n is set before any path reads it (clang's
     * -Wsometimes-uninitialized follows the || chain, not die()). */
    if (fseek(f, 0, SEEK_END) == 0)
        n = ftell(f);
    if (n < 0 || fseek(f, 0, SEEK_SET) != 0)
        die(path, "cannot size");
    buf = malloc((size_t)n + 1);
    if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n)
        die(path, "cannot read");
    buf[n] = '\0';
    fclose(f);
    if (len)
        *len = (size_t)n;
    return buf;
}

static void spit(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");

    if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0)
        die(path, strerror(errno));
}

/* Expands "@repeat N\n...@end\n" blocks; returns a new buffer. */
static char *expand(const char *in, size_t *len)
{
    size_t cap = 1024, n = 0;
    char *out = malloc(cap);
    const char *p = in;

    if (out == NULL)
        die("expand", "out of memory");
#define PUT(s, l)                                                  \
    do {                                                           \
        while (n + (l) + 1 > cap) {                                \
            cap *= 2;                                              \
            out = realloc(out, cap);                               \
            if (out == NULL)                                       \
                die("expand", "out of memory");                    \
        }                                                          \
        memcpy(out + n, (s), (l));                                 \
        n += (l);                                                  \
    } while (0)
    while (*p) {
        if (strncmp(p, "@repeat ", 8) == 0) {
            long count = atol(p + 8);
            const char *body = strchr(p, '\n'), *end;
            if (body == NULL || (end = strstr(body + 1, "@end\n")) == NULL)
                die("expand", "@repeat without @end");
            body++;
            for (long i = 0; i < count; i++) {
                for (const char *q = body; q < end; q++) {
                    if (q[0] == '%' && q[1] == 'd') {
                        char num[32];
                        int k = snprintf(num, sizeof(num), "%ld", i);
                        PUT(num, (size_t)k);
                        q++;
                    } else {
                        PUT(q, 1);
                    }
                }
            }
            p = end + 5;
            continue;
        }
        PUT(p, 1);
        p++;
    }
#undef PUT
    out[n] = '\0';
    *len = n;
    return out;
}

/* Writes the XML plist xml (from file src) to path as a binary plist. */
static void spit_binary_plist(const char *src, const char *path, const char *xml, size_t len)
{
    char *bin = NULL;
    uint32_t blen = 0;
    plist_t pl = NULL;

    plist_from_xml(xml, (uint32_t)len, &pl);
    if (pl == NULL)
        die(src, "not an XML plist");
    plist_to_bin(pl, &bin, &blen);
    if (bin == NULL)
        die(src, "cannot write a binary plist");
    spit(path, bin, blen);
    free(bin);
    plist_free(pl);
}

static void mkdirs(const char *path)
{
    char buf[4096];

    if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
        die(path, "path too long");
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0755) != 0 && errno != EEXIST)
            die(buf, strerror(errno));
        *p = '/';
    }
    if (mkdir(buf, 0755) != 0 && errno != EEXIST)
        die(buf, strerror(errno));
}

static void copy_tree(const char *src, const char *dst)
{
    DIR *d = opendir(src);
    struct dirent *de;

    if (d == NULL)
        return;
    mkdirs(dst);
    while ((de = readdir(d)) != NULL) {
        char s[4096], t[4096];
        struct stat st;
        size_t n = strlen(de->d_name);
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        snprintf(s, sizeof(s), "%s/%s", src, de->d_name);
        snprintf(t, sizeof(t), "%s/%s", dst, de->d_name);
        if (lstat(s, &st) != 0)
            die(s, strerror(errno));
        if (S_ISDIR(st.st_mode)) {
            copy_tree(s, t);
            continue;
        }
        if (n > 8 && strcmp(de->d_name + n - 8, ".symlink") == 0) {
            size_t len;
            char *target = slurp(s, &len);
            if (target == NULL)
                die(s, strerror(errno));
            target[strcspn(target, "\n")] = '\0';
            t[strlen(t) - 8] = '\0';
            if (symlink(target, t) != 0)
                die(t, strerror(errno));
            free(target);
        } else if (n > 7 && strcmp(de->d_name + n - 7, ".repeat") == 0) {
            size_t len, xlen;
            char *raw = slurp(s, &len), *big;
            if (raw == NULL)
                die(s, strerror(errno));
            big = expand(raw, &xlen);
            free(raw);
            t[strlen(t) - 7] = '\0';
            n -= 7;
            if (n > 6 && strncmp(de->d_name + n - 6, ".tobin", 6) == 0) {
                t[strlen(t) - 6] = '\0';
                spit_binary_plist(s, t, big, xlen);
            } else {
                spit(t, big, xlen);
            }
            free(big);
        } else if (n > 6 && strcmp(de->d_name + n - 6, ".tobin") == 0) {
            size_t len;
            char *xml = slurp(s, &len);
            if (xml == NULL)
                die(s, strerror(errno));
            t[strlen(t) - 6] = '\0';
            spit_binary_plist(s, t, xml, len);
            free(xml);
        } else {
            size_t len;
            char *data = slurp(s, &len);
            if (data == NULL)
                die(s, strerror(errno));
            spit(t, data, len);
            free(data);
        }
    }
    closedir(d);
}

static void exec_sql(sqlite3 *db, const char *sql, const char *what)
{
    char *err = NULL;

    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
        die(what, err ? err : "sqlite error");
}

int main(int argc, char **argv)
{
    char path[4096], dbpath[4096];
    char *sql, *wal, *raw, *cut, *layout;
    size_t rawlen;
    struct stat st;

    if (argc != 3)
        die("usage", "mksnapshot SRC OUT");
    if (stat(argv[2], &st) == 0)
        die(argv[2], "already exists");
    mkdirs(argv[2]);
    snprintf(path, sizeof(path), "%s/root", argv[1]);
    copy_tree(path, argv[2]);
    snprintf(path, sizeof(path), "%s/layout", argv[1]);
    layout = slurp(path, NULL);
    if (layout == NULL || strncmp(layout, "flat", 4) != 0) {
        /* The Mac's own layout: /var, /etc and /tmp link into /private. */
        static const char *const links[] = {"var", "etc", "tmp"};
        for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
            char target[64];
            snprintf(target, sizeof(target), "private/%s", links[i]);
            snprintf(path, sizeof(path), "%s/%s", argv[2], target);
            mkdirs(path);
            snprintf(path, sizeof(path), "%s/%s", argv[2], links[i]);
            if (lstat(path, &st) == 0)
                die(path, "already in the snapshot (use a 'layout' file with \"flat\")");
            if (symlink(target, path) != 0)
                die(path, strerror(errno));
        }
    }
    free(layout);
    snprintf(dbpath, sizeof(dbpath), "%s%s/KextPolicy", argv[2], DBDIR);

    snprintf(path, sizeof(path), "%s/KextPolicy.raw", argv[1]);
    raw = slurp(path, &rawlen);
    snprintf(path, sizeof(path), "%s/KextPolicy.sql", argv[1]);
    sql = slurp(path, NULL);
    snprintf(path, sizeof(path), "%s/KextPolicy.wal.sql", argv[1]);
    wal = slurp(path, NULL);
    snprintf(path, sizeof(path), "%s/KextPolicy.truncate", argv[1]);
    cut = slurp(path, NULL);
    if (raw || sql) {
        snprintf(path, sizeof(path), "%s%s", argv[2], DBDIR);
        mkdirs(path);
    }
    if (raw) {
        spit(dbpath, raw, rawlen);
    } else if (sql) {
        sqlite3 *db = NULL;
        if (sqlite3_open(dbpath, &db) != SQLITE_OK)
            die(dbpath, sqlite3_errmsg(db));
        if (wal)
            exec_sql(db, "PRAGMA journal_mode=WAL;", "journal_mode");
        exec_sql(db, sql, "KextPolicy.sql");
        if (wal) {
            exec_sql(db, "PRAGMA wal_checkpoint(TRUNCATE);", "checkpoint");
            if (sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL) != SQLITE_OK)
                die("no_ckpt_on_close", sqlite3_errmsg(db));
            sqlite3_wal_autocheckpoint(db, 0);
            exec_sql(db, wal, "KextPolicy.wal.sql");
        }
        if (sqlite3_close(db) != SQLITE_OK)
            die(dbpath, "close failed");
        if (cut && truncate(dbpath, atol(cut)) != 0)
            die(dbpath, strerror(errno));
    }
    free(raw);
    free(sql);
    free(wal);
    free(cut);
    return 0;
}
