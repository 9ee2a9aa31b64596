/* ui_operator — what the operator's screens (operator/) need beyond
 * ui_view.h: the host, the PIN and its lock-out, the kiosk's status in
 * words, and opening each other. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "route.h"
#include "ui.h"

/* What the operator screen shows for a value nobody knows. */
#define UI_UNKNOWN "—"

/* The host's callbacks (all NULL when there is none). */
const ui_host *ui_get_host(const ui *u);

/* Goes to an operator screen from the keypad or the operator screen itself
 * (ui_go refuses them: no content link may lead there). push: remember the
 * current screen for Back. */
void ui_go_operator(ui *u, route_kind kind, bool push);

/* Checks a PIN against the configured hash (ui_config.pin_check). */
bool ui_pin_matches(const ui *u, const char *pin);

/* The PIN lock-out, in memory only (a restart clears it, and costs the
 * guesser a minute of boot each time): true while locked, with the time
 * left. Ends itself (and the count of wrong PINs) when the time is up. */
bool ui_pin_locked(ui *u, uint32_t *left_ms);

/* The same, reading only. */
bool ui_pin_lock_left(const ui *u, uint32_t *left_ms);

/* Counts a wrong PIN (locks after UI_PIN_MAX_FAILURES) or a right one. */
void ui_pin_result(ui *u, bool right);

/* Wrong PINs in a row so far. */
int ui_pin_failures(const ui *u);

/* Fills st with "unknown", the ui's own facts, then asks the host. */
void ui_admin_status_get(const ui *u, ui_admin_status *st);

/* Human-readable values for the operator screen, in the UI language. */
void ui_format_duration(const ui *u, int64_t seconds, char *out, size_t cap); /* "3 d 4 h", "5 h 12 min", "7 min" */
void ui_format_bytes(const ui *u, int64_t bytes, char *out, size_t cap);      /* "1.2 GB", "37 MB", "512 KB" */
/* t: Unix seconds (0: never, < 0: unknown); now: the host's clock (<= 0:
 * no relative part); upcoming: a time to come ("due now" rather than "just
 * now" within the minute). "2026-11-28 14:03 (in 5 h 12 min)", local time. */
void ui_format_time(const ui *u, int64_t t, int64_t now, bool upcoming, char *out, size_t cap);
