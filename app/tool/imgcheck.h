/* imgcheck — what the content tool asks of an image beyond its header: that
 * the kiosk will show it as the header says.
 *
 * imginfo reads only headers, and a header can lie: a PNG whose IHDR
 * promises more rows than its data holds, a JPEG cut before its end (the
 * decoder fills the missing part with grey and does not complain), a
 * JPEG named .png. The tool decodes every image once, through SDL_image as
 * the kiosk does, and refuses what does not decode to the size the header
 * gives; and it refuses CMYK JPEGs, whose colours depend on the program
 * that wrote them (the kiosk guesses Adobe's inverted CMYK). */
#pragma once

#include <stddef.h>

#include "imginfo.h"

/* Checks the image file `name` (its extension names the type) of
 * data[0..size), whose header imginfo_probe read into info. Returns 0, or
 * -1 with the reason in err ("is a CMYK JPEG: save it as RGB"). */
int imgcheck_verify(const char *name, const void *data, size_t size, const imginfo *info, char *err,
                    size_t errcap);
