/* check — `infopoint --check`: is this kiosk set up to run unattended?
 *
 * For provisioning scripts and the technician: the config file (every
 * warning is a problem), the bundles (the installed live bundle and the
 * fallback: opens, PRAGMA quick_check, stored content digest equals the
 * computed one), the sync settings (the pinned key file reads when a URL is
 * set, the CA file exists), the fonts (every file opens with SDL_ttf), and
 * the state directory (a file can be created in it). Nothing is changed and
 * no display is needed. */
#pragma once

#include <stdio.h>

#include "config.h"

/* Checks the setup c (loaded with rep; bundle: --bundle, or NULL) and
 * writes one line per problem to out, then "infopoint: check passed: ..."
 * or "infopoint: check failed: N problems". Returns the number of
 * problems. */
int check_run(const config *c, const config_report *rep, const char *bundle, FILE *out);
