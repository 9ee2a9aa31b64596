/* apply — builds a new bundle from the installed one and changed records,
 * and checks it before anything may switch to it (the kiosk's side of an
 * update; ../shared/design.md, "Applying an update").
 *
 * The staging file is one of three: the previous bundle of the A/B pair,
 * renamed to the staging name by the sync (in_place: the records it lacks
 * are applied to it, so only the changed pages are written and fsynced);
 * a copy of the live bundle (when the previous one is missing, open in the
 * kiosk, or was refused); or an empty bundle (first sync). The changed
 * records replace theirs, the search index is updated for the changed items
 * only, and then it is checked: schema version and the content (PRAGMA
 * integrity_check is not run here, as it reads the whole file: the
 * background scrub checks the new bundle whole right after the switch and
 * falls back to the previous one if it is damaged, scrub.h):
 *
 *   - when the new base record carries the records root (records.h, from a
 *     publisher that writes it): every changed record is serialised again
 *     from the staging rows and must hash to the bytes it was applied from
 *     (which hash to the signed ones), its hash goes into record_hashes, the
 *     touched bins and the root are computed again and the root must be the
 *     signed one. O(changed records). (A whole build, where every record
 *     changed, compares the full content digest instead of serialising each
 *     record again: one pass over the tables, about half the time.) The
 *     staging file's record tables must
 *     be those of its own content digest (record_root); when they are not
 *     (a bundle made before them, or updated by an older kiosk) or the root
 *     does not match, they are built again from the rows once (O(bundle))
 *     and the root compared again. The signed content digest is then stored
 *     as meta 'digest' without being computed.
 *   - else (an older publisher): the full content digest against the signed
 *     one, O(bundle), as before.
 *
 * The journal is off: a staging file is never repaired, only thrown away,
 * and it keeps its staging name (which nothing opens) until it has passed.
 * It is fsynced before apply_build returns; the caller renames it into
 * place. The live bundle is only read. */
#pragma once

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    const char *name;          /* "base", "items/<id>" or "assets/<name>" */
    const char *record_path;   /* the new record's file (hash checked), or NULL */
    const unsigned char *record; /* or its bytes in memory (hash checked), record_len long */
    size_t record_len;         /* neither path nor bytes: the record is removed */
    const unsigned char *sha;  /* its signed sha256, checked again on the bytes read; or NULL */
} apply_change;

typedef struct {
    const char *live;          /* installed bundle to copy and start from, or NULL */
    const char *staging;       /* file to write (replaced if present, unless in_place) */
    int in_place;              /* 1: staging already holds a bundle of this schema (the
                                * previous one, renamed): update it, copy nothing */
    const apply_change *changes;
    size_t n_changes;
    const char *digest;        /* the signed content digest, 64 hex */
    const atomic_int *cancel;   /* non-zero stops the build soon, or NULL; set from another thread */
    /* Called before changes[i]'s record is read, or NULL: every record is
     * there. 0 when it is; -1 (err) ends the build. A first full sync
     * builds while its downloads still arrive (sync.c, prefetch.h). */
    int (*ready)(void *user, size_t i, char *err, size_t errcap);
    void *ready_user;
} apply_job;

typedef struct {
    size_t items;              /* item records put in or taken out */
    size_t assets;             /* asset records */
    uint64_t copy_us, apply_us, check_us, digest_us, sync_us; /* time per step */
    int by_records;            /* 1: checked through the records root; 0: through the full digest */
    int records_filled;        /* 1: the record tables were built from all rows (O(bundle), once) */
} apply_report;

/* Builds and checks job->staging. Returns 0, or -1 with a one-line reason
 * in err (and the staging file removed). */
int apply_build(const apply_job *job, apply_report *report, char *err, size_t errcap);

/* Re-serialises records of the bundle at path (record_build): out[i]
 * gets the bytes of names[i] ("base", "items/<id>", "assets/<name>"),
 * malloc'd, lens[i] long, when they hash to sha[i], else NULL. Returns how
 * many were taken; the others must be downloaded. Lets an in-place update
 * take the records the live bundle has from it rather than from the
 * network. */
size_t apply_extract_records(const char *path, const char *const *names, const unsigned char (*sha)[32],
                             unsigned char **out, size_t *lens, size_t n);

/* 1 when the bundle at path has the schema this kiosk reads, so apply_build
 * can update a copy of it in place; 0 when it has another or cannot be
 * read (a bundle an older kiosk installed: build the next one whole). */
int apply_schema_current(const char *path);

/* 1 when the installed bundle at path still is what was installed, 0 with
 * the reason in why when it is damaged (a bad block, a truncation, a write
 * by hand): it is then neither current nor kept as previous, and the next
 * install builds from verified records. Run on every sync check, so it
 * costs O(bins), not O(bundle): when the bundle keeps the records digest
 * of `digest` (64 hex), the file is as long as its pages, meta 'digest'
 * and record_root name `digest`, and the root over record_bins is
 * record_root's and the signed one. It reads few pages: a bad block
 * elsewhere is found by apply_live_pages_ok before the bundle is copied,
 * and by the background scrub (scrub.h: integrity_check and full content
 * digest after each install, an unclean shutdown and every scrub_days).
 * Without those tables (a bundle an older kiosk installed): PRAGMA
 * quick_check and the full content digest, O(bundle), once. Run it on the
 * sync thread. */
int apply_live_verifies(const char *path, const char *digest, char *why, size_t cap);

/* 1 when the bundle at path opens and passes PRAGMA quick_check (reads
 * every page: O(bundle)), else 0 with the reason in why. Run before the
 * live bundle is copied to become the staging file, so a damaged one is
 * never copied; records taken from it (apply_extract_records) are
 * hash-checked one by one instead. */
int apply_live_pages_ok(const char *path, char *why, size_t cap);
