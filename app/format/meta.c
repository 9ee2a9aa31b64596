#include "meta.h"

#include <sodium.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

static const char *const role_names[] = {"root", "timestamp", "snapshot", "bin"};

/* ---- time ------------------------------------------------------------------ */

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian), without libc's time
 * zone machinery: metadata times are UTC by definition. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int meta_parse_time(const char *s, int64_t *out)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, mo, d, h, mi, se;
    char z = 0;
    if (strlen(s) != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':')
        return -1;
    for (int i = 0; i < 19; i++)
        if (i != 4 && i != 7 && i != 10 && i != 13 && i != 16 && (s[i] < '0' || s[i] > '9'))
            return -1;
    if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &se, &z) != 7 || z != 'Z')
        return -1;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || (mo == 2 && d == 29 && !leap) || h > 23 ||
        mi > 59 || se > 59)
        return -1;
    *out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
    return 0;
}

void meta_format_time(int64_t t, char out[21])
{
    /* Metadata times are 1970..9999; anything else is shown at the edge. */
    if (t < 0)
        t = 0;
    if (t > 253402300799)
        t = 253402300799;
    int64_t days = t / 86400, rem = t % 86400;
    /* civil_from_days (Howard Hinnant's algorithm). */
    days += 719468;
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    int64_t doe = days - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    y += m <= 2;
    snprintf(out, 21, "%04u-%02u-%02uT%02u:%02u:%02uZ", (unsigned)y % 10000u, (unsigned)m % 13u, (unsigned)d % 32u,
             (unsigned)(rem / 3600) % 24u, (unsigned)(rem / 60 % 60), (unsigned)(rem % 60));
}

/* ---- keys -------------------------------------------------------------------- */

void meta_key_id(const unsigned char pk[32], char out[META_KEYID_LEN + 1])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, pk, 32);
    sodium_bin2hex(out, META_KEYID_LEN + 1, h, META_KEYID_LEN / 2);
}

/* ---- parsing ------------------------------------------------------------------ */

/* The lines that may stand once, and the format header. */
enum seen_slot {
    SEEN_ROLE,
    SEEN_VERSION,
    SEEN_EXPIRES,
    SEEN_DIGEST,
    SEEN_BUNDLE_VERSION,
    SEEN_THRESHOLD,
    SEEN_VERSION_FLOOR,
    SEEN_HEADER,
    SEEN_COUNT
};

typedef struct {
    meta_doc *doc;
    size_t files_cap;
    int *file_lines;       /* the line of each file entry, for the duplicate message */
    bool seen[SEEN_COUNT]; /* which single-valued lines (and the header) were read */
    char *err;
    size_t errcap;
    int line;
} parser;

static int fail(parser *p, const char *fmt, const char *arg)
{
    char msg[200];
    snprintf(msg, sizeof msg, fmt, arg ? arg : "");
    snprintf(p->err, p->errcap, "line %d: %s", p->line, msg);
    return -1;
}

/* Exactly n lowercase hex characters into n/2 bytes. */
static bool hex_bytes(const char *s, size_t n, unsigned char *out)
{
    if (strlen(s) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    size_t got = 0;
    return sodium_hex2bin(out, n / 2, s, n, NULL, &got, NULL) == 0 && got == n / 2;
}

static bool is_keyid(const char *s)
{
    unsigned char b[META_KEYID_LEN / 2];
    return hex_bytes(s, META_KEYID_LEN, b);
}

/* A decimal number without sign, leading zeros or overflow. */
static bool number(const char *s, uint64_t *out)
{
    if (!*s || strlen(s) > 19 || (s[0] == '0' && s[1]))
        return false;
    uint64_t v = 0;
    for (const char *c = s; *c; c++) {
        if (*c < '0' || *c > '9')
            return false;
        v = v * 10 + (uint64_t)(*c - '0');
    }
    *out = v;
    return true;
}

/* A repository path: a-z 0-9 . _ - and /, no "..", no leading /. */
static bool safe_path(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n >= META_PATH_MAX || s[0] == '/' || strstr(s, "..") || strstr(s, "//"))
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' || c == '/'))
            return false;
    }
    return true;
}

/* Splits a line into at most 4 space-separated words. Returns the count. */
static int split(char *line, char *w[4])
{
    int n = 0;
    char *save = NULL;
    for (char *t = strtok_r(line, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
        if (n == 4)
            return 5;
        w[n++] = t;
    }
    return n;
}

static int once(parser *p, enum seen_slot slot, const char *what)
{
    if (p->seen[slot])
        return fail(p, "'%s' given twice", what);
    p->seen[slot] = true;
    return 0;
}

/* One handler per body keyword; w[0] is the keyword, w[1..] its values. */
static int line_role(parser *p, char **w)
{
    for (int r = 0; r < 4; r++)
        if (!strcmp(w[1], role_names[r])) {
            p->doc->role = (meta_role)r;
            return once(p, SEEN_ROLE, "role");
        }
    return fail(p, "unknown role '%s'", w[1]);
}

static int line_version(parser *p, char **w)
{
    if (!number(w[1], &p->doc->version) || p->doc->version == 0)
        return fail(p, "version must be a positive integer, not '%s'", w[1]);
    return once(p, SEEN_VERSION, "version");
}

static int line_expires(parser *p, char **w)
{
    if (meta_parse_time(w[1], &p->doc->expires) < 0)
        return fail(p, "expires must be YYYY-MM-DDTHH:MM:SSZ, not '%s'", w[1]);
    return once(p, SEEN_EXPIRES, "expires");
}

static int line_digest(parser *p, char **w)
{
    unsigned char b[32];
    if (!hex_bytes(w[1], 64, b))
        return fail(p, "digest must be 64 hex digits", NULL);
    memcpy(p->doc->digest, w[1], 65);
    return once(p, SEEN_DIGEST, "digest");
}

static int line_bundle_version(parser *p, char **w)
{
    if (!number(w[1], &p->doc->bundle_version) || p->doc->bundle_version == 0)
        return fail(p, "bundle-version must be a positive integer, not '%s'", w[1]);
    return once(p, SEEN_BUNDLE_VERSION, "bundle-version");
}

static int line_threshold(parser *p, char **w)
{
    uint64_t t;
    if (!number(w[1], &t) || t < 1 || t > META_MAX_KEYS)
        return fail(p, "threshold must be 1 to 8, not '%s'", w[1]);
    p->doc->threshold = (int)t;
    return once(p, SEEN_THRESHOLD, "threshold");
}

static int line_version_floor(parser *p, char **w)
{
    if (!number(w[1], &p->doc->version_floor) || p->doc->version_floor == 0)
        return fail(p, "version-floor must be a positive integer, not '%s'", w[1]);
    return once(p, SEEN_VERSION_FLOOR, "version-floor");
}

static int line_key(parser *p, char **w)
{
    meta_doc *d = p->doc;
    if (d->n_keys == META_MAX_KEYS)
        return fail(p, "more than 8 keys", NULL);
    meta_key *k = &d->keys[d->n_keys];
    if (!is_keyid(w[1]) || !hex_bytes(w[2], 64, k->pk))
        return fail(p, "key wants a 16-hex id and a 64-hex public key", NULL);
    char id[META_KEYID_LEN + 1];
    meta_key_id(k->pk, id);
    if (strcmp(id, w[1]) != 0)
        return fail(p, "key id %s does not match its key", w[1]);
    for (int i = 0; i < d->n_keys; i++)
        if (!strcmp(d->keys[i].id, id))
            return fail(p, "key %s listed twice", id);
    memcpy(k->id, id, sizeof k->id);
    d->n_keys++;
    return 0;
}

/* Room for one more file entry: the array doubles from 16. */
static int grow_files(parser *p)
{
    meta_doc *d = p->doc;
    if (d->n_files == META_MAX_FILES)
        return fail(p, "more than 65536 files", NULL);
    if (d->n_files < p->files_cap)
        return 0;
    size_t cap = p->files_cap ? p->files_cap * 2 : 16;
    meta_file *f = realloc(d->files, cap * sizeof *f);
    if (f)
        d->files = f;
    int *lines = f ? realloc(p->file_lines, cap * sizeof *lines) : NULL;
    if (!lines)
        return fail(p, "out of memory", NULL);
    p->file_lines = lines;
    p->files_cap = cap;
    return 0;
}

static int line_file(parser *p, char **w)
{
    meta_doc *d = p->doc;
    if (grow_files(p) < 0)
        return -1;
    meta_file *f = &d->files[d->n_files];
    if (!safe_path(w[1]))
        return fail(p, "unsafe or malformed path '%s'", w[1]);
    if (!hex_bytes(w[2], 64, f->sha256))
        return fail(p, "file wants a 64-hex sha256", NULL);
    if (!number(w[3], &f->length))
        return fail(p, "file length must be a number, not '%s'", w[3]);
    snprintf(f->path, sizeof f->path, "%s", w[1]);
    p->file_lines[d->n_files] = p->line;
    d->n_files++; /* duplicates are found once all are read (index_files) */
    return 0;
}

/* ---- the path index ------------------------------------------------------------ */

typedef struct {
    const meta_file *files;
    uint64_t compares;
} sorter;

static bool before(sorter *s, size_t a, size_t b)
{
    s->compares++;
    int c = strcmp(s->files[a].path, s->files[b].path);
    return c < 0 || (c == 0 && a < b);
}

/* Merges the sorted runs from[lo..mid) and from[mid..hi) into to[lo..hi). */
static void merge(sorter *s, const size_t *from, size_t *to, size_t lo, size_t mid, size_t hi)
{
    size_t i = lo, j = mid, k = lo;
    while (i < mid && j < hi)
        to[k++] = before(s, from[j], from[i]) ? from[j++] : from[i++];
    while (i < mid)
        to[k++] = from[i++];
    while (j < hi)
        to[k++] = from[j++];
}

int meta_sort_paths(const meta_file *files, size_t n, size_t *order, uint64_t *compares)
{
    sorter s = {.files = files};
    size_t *tmp = malloc((n ? n : 1) * sizeof *tmp), *from = order, *to = tmp;
    if (!tmp)
        return -1;
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    /* Bottom-up: runs of 1, 2, 4, ... merged back and forth. */
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
            merge(&s, from, to, lo, mid, hi);
        }
        size_t *t = from;
        from = to;
        to = t;
    }
    if (from != order)
        memcpy(order, from, n * sizeof *order);
    free(tmp);
    if (compares)
        *compares = s.compares;
    return 0;
}

const meta_file *meta_find(const meta_doc *doc, const char *path)
{
    size_t lo = 0, hi = doc && doc->by_path ? doc->n_files : 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const meta_file *f = &doc->files[doc->by_path[mid]];
        int c = strcmp(f->path, path);
        if (c == 0)
            return f;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Sorts the entries' paths into doc->by_path, and refuses a path listed
 * twice (the first such line in the file is named). */
static int index_files(parser *p)
{
    meta_doc *d = p->doc;
    if (d->n_files == 0)
        return 0;
    d->by_path = malloc(d->n_files * sizeof *d->by_path);
    if (!d->by_path || meta_sort_paths(d->files, d->n_files, d->by_path, NULL) < 0)
        return fail(p, "out of memory", NULL);
    size_t dup = SIZE_MAX;
    for (size_t i = 1; i < d->n_files; i++) {
        size_t later = d->by_path[i]; /* equal paths sort by index: this one came second */
        if (!strcmp(d->files[d->by_path[i - 1]].path, d->files[later].path) && (dup == SIZE_MAX || later < dup))
            dup = later;
    }
    if (dup == SIZE_MAX)
        return 0;
    p->line = p->file_lines[dup];
    return fail(p, "file %s listed twice", d->files[dup].path);
}

/* The body keywords, each with its word count (keyword included). A known
 * keyword with the wrong count is a malformed line. */
static const struct {
    const char *word;
    int n_words;
    int (*parse)(parser *p, char **w);
} body_lines[] = {
    {"role", 2, line_role},
    {"version", 2, line_version},
    {"expires", 2, line_expires},
    {"digest", 2, line_digest},
    {"bundle-version", 2, line_bundle_version},
    {"threshold", 2, line_threshold},
    {"version-floor", 2, line_version_floor},
    {"key", 3, line_key},
    {"file", 4, line_file},
};

/* The first line names the format; the others go to their keyword's handler. */
static int body_line(parser *p, char *line)
{
    char *w[4];
    int n = split(line, w);
    if (n == 0)
        return fail(p, "empty line", NULL);
    if (!p->seen[SEEN_HEADER]) {
        if (n != 2 || strcmp(w[0], "infopoint-meta") != 0)
            return fail(p, "not infopoint metadata (first line must be 'infopoint-meta 1')", NULL);
        if (strcmp(w[1], "1") != 0)
            return fail(p, "metadata format %s is not supported (this kiosk reads 1)", w[1]);
        p->seen[SEEN_HEADER] = true;
        return 0;
    }
    for (size_t i = 0; i < sizeof body_lines / sizeof body_lines[0]; i++)
        if (n == body_lines[i].n_words && !strcmp(w[0], body_lines[i].word))
            return body_lines[i].parse(p, w);
    return fail(p, "unknown or malformed line '%s'", w[0]);
}

static int sig_line(parser *p, char *line)
{
    meta_doc *d = p->doc;
    char *w[4];
    int n = split(line, w);
    if (n != 3 || strcmp(w[0], "sig") != 0)
        return fail(p, "expected 'sig <key id> <signature>'", NULL);
    if (d->n_sigs == META_MAX_SIGS)
        return fail(p, "more than 8 signatures", NULL);
    meta_sig *s = &d->sigs[d->n_sigs];
    if (!is_keyid(w[1]) || !hex_bytes(w[2], 128, s->sig))
        return fail(p, "sig wants a 16-hex key id and a 128-hex signature", NULL);
    memcpy(s->keyid, w[1], sizeof s->keyid);
    d->n_sigs++;
    return 0;
}

/* What each role must (and must not) carry. */
static int check_roles(parser *p)
{
    meta_doc *d = p->doc;
    p->line = 0;
    if (p->seen[SEEN_ROLE] && d->role == META_BIN) {
        if (p->seen[SEEN_VERSION] || p->seen[SEEN_EXPIRES] || d->n_sigs || p->seen[SEEN_DIGEST] ||
            p->seen[SEEN_BUNDLE_VERSION] || p->seen[SEEN_THRESHOLD] || p->seen[SEEN_VERSION_FLOOR] || d->n_keys)
            return fail(p, "a bin lists files only", NULL);
        return 0;
    }
    if (!p->seen[SEEN_ROLE] || !p->seen[SEEN_VERSION] || !p->seen[SEEN_EXPIRES])
        return fail(p, "role, version and expires are required", NULL);
    if (d->role == META_ROOT && (!p->seen[SEEN_THRESHOLD] || d->n_keys < d->threshold))
        return fail(p, "root needs a threshold and at least that many keys", NULL);
    if (d->role != META_ROOT && (p->seen[SEEN_THRESHOLD] || p->seen[SEEN_VERSION_FLOOR] || d->n_keys))
        return fail(p, "only root lists keys", NULL);
    if (d->role == META_SNAPSHOT && !p->seen[SEEN_DIGEST])
        return fail(p, "snapshot needs the content digest", NULL);
    if (d->role != META_SNAPSHOT && (p->seen[SEEN_DIGEST] || p->seen[SEEN_BUNDLE_VERSION]))
        return fail(p, "only snapshot names the content", NULL);
    if (d->n_sigs == 0)
        return fail(p, "no signatures", NULL);
    return 0;
}

int meta_parse(const char *buf, size_t len, meta_doc *out, char *err, size_t errcap)
{
    memset(out, 0, sizeof *out);
    parser p = {.doc = out, .err = err, .errcap = errcap};
    if (len > META_MAX_BYTES) {
        snprintf(err, errcap, "metadata larger than %u bytes", META_MAX_BYTES);
        return -1;
    }
    size_t bad;
    if (memchr(buf, '\0', len) || !utf8_valid(buf, len, &bad)) {
        snprintf(err, errcap, "line %d: not UTF-8 text", utf8_line_of(buf, memchr(buf, '\0', len) ? 0 : bad));
        return -1;
    }
    bool in_sigs = false;
    size_t pos = 0;
    char line[1024];
    while (pos < len) {
        const char *nl = memchr(buf + pos, '\n', len - pos);
        if (!nl) {
            p.line++;
            fail(&p, "last line does not end with a newline", NULL);
            goto fail;
        }
        size_t n = (size_t)(nl - (buf + pos));
        p.line++;
        if (n >= sizeof line) {
            fail(&p, "line too long", NULL);
            goto fail;
        }
        memcpy(line, buf + pos, n);
        line[n] = '\0';
        if (!in_sigs && !strcmp(line, "--")) {
            in_sigs = true;
            out->signed_len = pos;
        } else if ((in_sigs ? sig_line(&p, line) : body_line(&p, line)) < 0) {
            goto fail;
        }
        pos += n + 1;
    }
    if (!in_sigs && !(p.seen[SEEN_ROLE] && out->role == META_BIN)) {
        p.line = 0;
        fail(&p, "no signature block ('--')", NULL);
        goto fail;
    }
    if (!in_sigs)
        out->signed_len = len;
    if (index_files(&p) < 0 || check_roles(&p) < 0)
        goto fail;
    free(p.file_lines);
    return 0;
fail:
    free(p.file_lines);
    meta_free(out);
    return -1;
}

void meta_free(meta_doc *doc)
{
    free(doc->files);
    free(doc->by_path);
    doc->files = NULL;
    doc->by_path = NULL;
    doc->n_files = 0;
}

/* ---- checks ----------------------------------------------------------------- */

int meta_verify(const meta_doc *doc, const char *buf, const meta_key *keys, int n_keys, int threshold, char *err,
                size_t errcap)
{
    if (sodium_init() < 0) {
        snprintf(err, errcap, "libsodium failed to initialise");
        return -1;
    }
    bool counted[META_MAX_KEYS] = {false};
    int valid = 0;
    for (int s = 0; s < doc->n_sigs; s++) {
        for (int k = 0; k < n_keys && k < META_MAX_KEYS; k++) {
            /* One key counts once, however many times it signed. */
            if (counted[k] || strcmp(keys[k].id, doc->sigs[s].keyid) != 0)
                continue;
            if (crypto_sign_verify_detached(doc->sigs[s].sig, (const unsigned char *)buf, doc->signed_len,
                                            keys[k].pk) == 0) {
                counted[k] = true;
                valid++;
            }
        }
    }
    if (threshold < 1 || valid < threshold) {
        snprintf(err, errcap, "%s metadata has %d valid signature%s of %d needed from the trusted keys",
                 role_names[doc->role], valid, valid == 1 ? "" : "s", threshold < 1 ? 1 : threshold);
        return -1;
    }
    return 0;
}

int meta_verify_root_update(const meta_doc *current, const meta_doc *next, const char *next_buf, char *err,
                            size_t errcap)
{
    if (next->role != META_ROOT) {
        snprintf(err, errcap, "a key set update must be root metadata");
        return -1;
    }
    if (next->version != current->version + 1) {
        snprintf(err, errcap, "root version %llu does not follow %llu", (unsigned long long)next->version,
                 (unsigned long long)current->version);
        return -1;
    }
    char why[200];
    /* Trusted only when the keys we trust now vouch for it... */
    if (meta_verify(next, next_buf, current->keys, current->n_keys, current->threshold, why, sizeof why) < 0) {
        snprintf(err, errcap, "new root not signed by the current keys: %s", why);
        return -1;
    }
    /* ...and its own keys prove they are held. */
    if (meta_verify(next, next_buf, next->keys, next->n_keys, next->threshold, why, sizeof why) < 0) {
        snprintf(err, errcap, "new root not signed by its own keys: %s", why);
        return -1;
    }
    return 0;
}

int meta_check_expiry(const meta_doc *doc, int64_t clock_now, int64_t time_floor, char *err, size_t errcap)
{
    int64_t now = clock_now > time_floor ? clock_now : time_floor;
    if (doc->expires <= now) {
        char when[21], at[21];
        meta_format_time(doc->expires, when);
        meta_format_time(now, at);
        snprintf(err, errcap, "%s metadata expired at %s (now %s)", role_names[doc->role], when, at);
        return -1;
    }
    return 0;
}

/* ---- signing -------------------------------------------------------------------- */

char *meta_sign(const char *body, size_t len, const unsigned char (*sks)[64], int n_sks, size_t *out_len)
{
    if (sodium_init() < 0 || n_sks < 1 || n_sks > META_MAX_SIGS)
        return NULL;
    /* Each line: "sig " + 16 + " " + 128 + "\n" = 150 bytes. */
    size_t cap = len + 3 + (size_t)n_sks * 150 + 1;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    memcpy(out, body, len);
    size_t o = len;
    memcpy(out + o, "--\n", 3);
    o += 3;
    for (int i = 0; i < n_sks; i++) {
        unsigned char sig[crypto_sign_BYTES], pk[crypto_sign_PUBLICKEYBYTES];
        char id[META_KEYID_LEN + 1], hex[2 * crypto_sign_BYTES + 1];
        crypto_sign_detached(sig, NULL, (const unsigned char *)body, len, sks[i]);
        crypto_sign_ed25519_sk_to_pk(pk, sks[i]);
        meta_key_id(pk, id);
        sodium_bin2hex(hex, sizeof hex, sig, sizeof sig);
        o += (size_t)snprintf(out + o, cap - o, "sig %s %s\n", id, hex);
    }
    *out_len = o;
    return out;
}

int meta_looks_like(const char *buf, size_t len)
{
    static const char magic[] = "infopoint-meta ";
    return len >= sizeof magic - 1 && memcmp(buf, magic, sizeof magic - 1) == 0;
}
