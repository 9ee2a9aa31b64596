/* ui_operator — what the operator's screens share with the ui core: the
 * host, the PIN lock-out (kept in struct ui, so leaving and reopening the
 * keypad does not reset it) and the kiosk's status in words. */
#include "ui_private.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "platform.h"

const ui_host *ui_get_host(const ui *u)
{
    return &u->host;
}

/* ---- the PIN ---------------------------------------------------------------- */

bool ui_pin_lock_left(const ui *u, uint32_t *left_ms)
{
    int32_t left = (int32_t)(u->pin_locked_until - u->now);
    if (!u->pin_locked || left <= 0)
        return false;
    if (left_ms)
        *left_ms = (uint32_t)left;
    return true;
}

bool ui_pin_locked(ui *u, uint32_t *left_ms)
{
    if (u->pin_locked && (int32_t)(u->pin_locked_until - u->now) <= 0) {
        u->pin_locked = false;
        u->pin_failures = 0;
        platform_log(PLATFORM_LOG_INFO, "operator keypad unlocked");
    }
    return ui_pin_lock_left(u, left_ms);
}

void ui_pin_result(ui *u, bool right)
{
    if (right) {
        u->pin_failures = 0;
        platform_log(PLATFORM_LOG_INFO, "operator screen opened with the PIN");
        return;
    }
    u->pin_failures++;
    platform_log(PLATFORM_LOG_WARN, "operator keypad: wrong PIN (%d in a row)", u->pin_failures);
    if (u->pin_failures >= UI_PIN_MAX_FAILURES) {
        u->pin_locked = true;
        u->pin_locked_until = u->now + UI_PIN_LOCK_MS;
        platform_log(PLATFORM_LOG_WARN, "operator keypad locked for %u s after %d wrong PINs",
                     UI_PIN_LOCK_MS / 1000u, u->pin_failures);
    }
}

bool ui_pin_matches(const ui *u, const char *pin)
{
    const char *hash = u->cfg.admin_pin_hash;
    if (!hash[0] || !pin[0])
        return false;
    /* The kiosk checks with the code that made the hash (config_pin_matches);
     * without a checker no PIN opens anything. */
    return u->cfg.pin_check && u->cfg.pin_check(u->cfg.pin_check_user, hash, pin);
}

int ui_pin_failures(const ui *u)
{
    return u->pin_failures;
}

/* ---- the status and its words ------------------------------------------------- */

void ui_admin_status_get(const ui *u, ui_admin_status *st)
{
    memset(st, 0, sizeof *st);
    st->now = -1;
    st->snapshot_version = -1;
    st->sync_configured = -1;
    st->last_attempt = st->last_success = st->next_sync = -1;
    st->items_done = st->items_total = st->bytes_done = st->bytes_total = -1;
    st->stale = -1;
    st->disk_free_bytes = st->uptime_s = st->rss_bytes = -1;
    st->usage_sessions_today = st->usage_views_today = st->usage_searches_today = -1;
    st->usage_searches_none_today = st->usage_sessions_kept = st->usage_views_kept = st->usage_days_kept = -1;
    if (u->st) {
        store_meta(u->st, "bundle_version", st->content_version, sizeof st->content_version);
        store_meta(u->st, "created", st->content_created, sizeof st->content_created);
        store_meta(u->st, "published", st->content_published, sizeof st->content_published);
    }
    if (u->host.get_status)
        u->host.get_status(u->host.user, st);
}

/* Kazakh and Russian write a decimal comma. */
static void decimal_comma(const ui *u, char *s)
{
    if (strcmp(ui_lang(u), "en") != 0)
        for (char *p = s; *p; p++)
            if (*p == '.')
                *p = ',';
}

void ui_format_bytes(const ui *u, int64_t bytes, char *out, size_t cap)
{
    if (bytes < 0) {
        snprintf(out, cap, UI_UNKNOWN);
        return;
    }
    static const i18n_id units[] = {I18N_UNIT_BYTES, I18N_UNIT_KB, I18N_UNIT_MB, I18N_UNIT_GB};
    double v = (double)bytes;
    int unit = 0;
    while (v >= 1024.0 && unit < 3) {
        v /= 1024.0;
        unit++;
    }
    /* Three significant figures at most: 1.2 GB, 37 MB, 512 KB. */
    if (unit > 0 && v < 10.0)
        snprintf(out, cap, "%.1f %s", v, ui_str(u, units[unit]));
    else
        snprintf(out, cap, "%.0f %s", v, ui_str(u, units[unit]));
    decimal_comma(u, out);
}

void ui_format_duration(const ui *u, int64_t seconds, char *out, size_t cap)
{
    if (seconds < 0) {
        snprintf(out, cap, UI_UNKNOWN);
        return;
    }
    long long d = seconds / 86400, h = seconds % 86400 / 3600, m = seconds % 3600 / 60;
    const char *ud = ui_str(u, I18N_UNIT_DAYS), *uh = ui_str(u, I18N_UNIT_HOURS), *um = ui_str(u, I18N_UNIT_MINUTES);
    /* The two largest units: "3 d 4 h", "5 h 12 min"; what is less is noise here. */
    if (d > 0 && h > 0)
        snprintf(out, cap, "%lld %s %lld %s", d, ud, h, uh);
    else if (d > 0)
        snprintf(out, cap, "%lld %s", d, ud);
    else if (h > 0 && m > 0)
        snprintf(out, cap, "%lld %s %lld %s", h, uh, m, um);
    else if (h > 0)
        snprintf(out, cap, "%lld %s", h, uh);
    else
        snprintf(out, cap, "%lld %s", m > 0 ? m : 1, um);
}

void ui_format_time(const ui *u, int64_t t, int64_t now, bool upcoming, char *out, size_t cap)
{
    if (t < 0) {
        snprintf(out, cap, UI_UNKNOWN);
        return;
    }
    if (t == 0) {
        snprintf(out, cap, "%s", ui_str(u, I18N_NEVER));
        return;
    }
    time_t tt = (time_t)t;
    struct tm tm;
    char when[32] = UI_UNKNOWN;
    if (localtime_r(&tt, &tm))
        strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
    if (now <= 0) {
        snprintf(out, cap, "%s", when);
        return;
    }
    char dur[64], rel[96];
    int64_t d = t - now;
    if (d >= 60) {
        ui_format_duration(u, d, dur, sizeof dur);
        snprintf(rel, sizeof rel, ui_str(u, I18N_IN), dur);
    } else if (upcoming) {
        snprintf(rel, sizeof rel, "%s", ui_str(u, I18N_DUE_NOW));
    } else if (d > -60) {
        snprintf(rel, sizeof rel, "%s", ui_str(u, I18N_JUST_NOW));
    } else {
        ui_format_duration(u, -d, dur, sizeof dur);
        snprintf(rel, sizeof rel, ui_str(u, I18N_AGO), dur);
    }
    snprintf(out, cap, "%s (%s)", when, rel);
}
