#include "app.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

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

static store *open_content(const config *c, const char *bundle, char *reason, size_t cap)
{
    char paths[MAX_CANDIDATES][PLATFORM_PATH_MAX];
    int n = bundle_candidates(c, bundle, paths, MAX_CANDIDATES);
    for (int i = 0; i < n; i++) {
        store_status st;
        store *s = store_open(paths[i], &st, reason, cap);
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

ui_config app_ui_config(const config *c)
{
    ui_config cfg = ui_config_default();
    snprintf(cfg.default_lang, sizeof cfg.default_lang, "%s", c->language);
    cfg.idle_reset_s = c->idle_reset_s;
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
    if (!a->u) {
        fprintf(stderr, "infopoint: out of memory\n");
        return -1;
    }
    return 0;
}

void app_stop(app *a)
{
    ui_destroy(a->u);
    store_close(a->s);
    render_destroy(a->r);
    memset(a, 0, sizeof *a);
}

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
