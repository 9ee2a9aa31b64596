/* benchspeech — `infopoint-bench speech`: read-aloud figures for each
 * language (BENCHMARKS.md): the delay from the tap (speech_say) to the
 * first audio queued, the first time (voices loaded by that call) and
 * then warm; resident memory before, while speaking and after; and what
 * was heard, captured by SDL's disk audio driver and written as a WAV
 * file with its length and loudness. */
#pragma once

/* argv: speech [--bundle FILE] [--out DIR] [--warm N]. Returns 0, 1 when a
 * voice did not speak, 2 on usage. */
int benchspeech_main(int argc, char **argv);
