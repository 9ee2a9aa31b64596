#include "app.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "digest.h"
#include "platform.h"
#include "service.h"
#include "sync.h"
#include "syncstate.h"

/* Bundles tried: --bundle, or live, previous and fallback. */
#define MAX_CANDIDATES 4

/* The bundles to try, best first (see app.h). */
static int bundle_candidates(const config *c, const char *bundle, char paths[][PLATFORM_PATH_MAX], int max)
{
    int n = 0;
    if (bundle) {
        snprintf(paths[n++], PLATFORM_PATH_MAX, "%s", bundle);
        return n;
    }
    if (c->state_dir[0]) {
        uint64_t v[2];
        char live[PLATFORM_PATH_MAX];
        if (sync_live_bundle(c->state_dir, live, sizeof live) == 0)
            snprintf(paths[n++], PLATFORM_PATH_MAX, "%s", live);
        int k = syncstate_list_bundles(c->state_dir, v, 2);
        for (int i = 0; i < k && n < max - 1; i++) {
            char name[64];
            syncstate_bundle_name(v[i], name);
            if (syncstate_path(c->state_dir, name, paths[n], PLATFORM_PATH_MAX) == 0 &&
                (n == 0 || strcmp(paths[n], paths[0])))
                n++;
        }
    }
    snprintf(paths[n++], PLATFORM_PATH_MAX, "%s", c->fallback_bundle);
    return n;
}

/* The content is what its digest says: SQLite's own checks do not see a
 * changed byte inside a row, and a card can rot. The digest is computed once
 * per file (0.8 s for 10,000 items on a desktop) and remembered in
 * STATE/verified by file identity; a bundle the sync installed is recorded
 * there already. Returns 0, or -1 with reason. */
static int content_verified(const config *c, const char *path, store *s, char *reason, size_t cap)
{
    char stored[DIGEST_HEX_LEN + 1], computed[DIGEST_HEX_LEN + 1], why[300];
    if (store_meta(s, "digest", stored, sizeof stored) < 0) {
        snprintf(reason, cap, "bundle %.300s has no content digest", path);
        return -1;
    }
    if (c->state_dir[0] && syncstate_is_verified(c->state_dir, path, stored))
        return 0;
    uint64_t t0 = platform_now_us();
    if (digest_compute(store_db(s), computed, why, sizeof why) < 0) {
        snprintf(reason, cap, "bundle %.300s: content digest: %.150s", path, why);
        return -1;
    }
    if (strcmp(computed, stored) != 0) {
        snprintf(reason, cap, "bundle %.300s is damaged: its content digest is %.12s…, not the %.12s… it was made with",
                 path, computed, stored);
        return -1;
    }
    platform_log(PLATFORM_LOG_INFO, "content: verified the digest of %s (%llu ms)", path,
                 (unsigned long long)((platform_now_us() - t0) / 1000));
    if (c->state_dir[0] && platform_is_dir(c->state_dir) &&
        syncstate_mark_verified(c->state_dir, path, stored, why, sizeof why) < 0)
        platform_log(PLATFORM_LOG_DEBUG, "content: %s", why);
    return 0;
}

static store *open_content(const config *c, const char *bundle, char *reason, size_t cap)
{
    char paths[MAX_CANDIDATES][PLATFORM_PATH_MAX];
    int n = bundle_candidates(c, bundle, paths, MAX_CANDIDATES);
    for (int i = 0; i < n; i++) {
        store_status st;
        store *s = store_open(paths[i], &st, reason, cap);
        if (s && content_verified(c, paths[i], s, reason, cap) < 0) {
            store_close(s);
            s = NULL;
        }
        if (s) {
            if (i > 0)
                platform_log(PLATFORM_LOG_WARN, "content: using %s instead", paths[i]);
            return s;
        }
        platform_log(PLATFORM_LOG_ERROR, "%s", reason);
    }
    return NULL;
}

/* The operator PIN is checked by the same code that made its hash. */
static bool pin_matches(void *user, const char *hash, const char *pin)
{
    (void)user;
    return config_pin_matches(hash, pin) != 0;
}

/* The ui's voice is app/speech. */
static int voice_say(void *user, const char *text, const char *lang, uint32_t id, char *err, size_t errcap)
{
    return speech_say(user, text, lang, id, err, errcap);
}

static void voice_stop(void *user)
{
    speech_stop(user);
}

static bool voice_heard(void *user, uint32_t *id, size_t *start, size_t *len)
{
    speech_position p = speech_now(user);
    *id = p.id;
    *start = p.start;
    *len = p.len;
    return p.speaking;
}

static deadline voice_next_change(void *user, uint32_t now)
{
    return speech_next_change(user, now);
}

ui_config app_ui_config(const config *c)
{
    ui_config cfg = ui_config_default();
    snprintf(cfg.default_lang, sizeof cfg.default_lang, "%s", c->language);
    cfg.idle_reset_s = c->idle_reset_s;
    cfg.speech_idle_factor = c->speech_idle_factor;
    cfg.dpi = c->dpi;
    cfg.default_text_step = c->text_size;
    snprintf(cfg.admin_pin_hash, sizeof cfg.admin_pin_hash, "%s", c->admin_pin);
    cfg.pin_check = pin_matches;
    return cfg;
}

int app_start(app *a, const config *c, const char *bundle, SDL_Renderer *sdl, int w, int h, uint32_t now)
{
    char err[512];
    memset(a, 0, sizeof *a);
    a->r = render_create(sdl, err, sizeof err);
    if (!a->r) {
        fprintf(stderr, "infopoint: %s\n", err);
        return -1;
    }
    a->s = open_content(c, bundle, a->reason, sizeof a->reason);
    ui_config cfg = app_ui_config(c);
    a->u = ui_create(&cfg, a->s, a->reason, a->r, w, h, now);
    a->voice = speech_create(&(speech_config){0});
    if (!a->u || !a->voice) {
        fprintf(stderr, "infopoint: out of memory\n");
        return -1;
    }
    ui_set_voice(a->u, &(ui_voice){voice_say, voice_stop, voice_heard, voice_next_change, a->voice});
    return 0;
}

void app_stop(app *a)
{
    ui_destroy(a->u);
    speech_destroy(a->voice); /* after the ui, which stops it on the way out */
    store_close(a->s);
    render_destroy(a->r);
    memset(a, 0, sizeof *a);
}

/* No digest here: the sync compared it before the switch (and recorded the
 * file in STATE/verified), and the preview made the bundle itself. */
int app_swap_bundle(app *a, const char *path, uint32_t now)
{
    char reason[512];
    store_status st;
    store *s = store_open(path, &st, reason, sizeof reason);
    if (!s) {
        platform_log(PLATFORM_LOG_ERROR, "content: the new bundle does not open, keeping the old one: %s", reason);
        return -1;
    }
    ui_set_store(a->u, s, now);
    store_close(a->s);
    a->s = s;
    platform_log(PLATFORM_LOG_INFO, "content: now showing %s", path);
    service_status("showing %s", path);
    return 0;
}
