/* fts_word — the one canonical form of a word, shared by the index, the
 * query and the highlighter, and the transliterations a query is tried in.
 *
 * Canonical: lower case; Latin diacritics removed; ё → е; the Kazakh letters
 * folded to their Russian base letters (ә→а і→и ң→н ғ→г ү ұ→у қ→к ө→о һ→х),
 * so Kazakh typed on a Russian layout matches; digits and letters are
 * separate words ("43бап" is "43" and "бап"); a trailing apostrophe-s is
 * dropped ("President's" is "president"). */
#include "fts.h"

#include <stdio.h>
#include <string.h>

#include "utf8.h"

/* Latin-1 letters U+00C0..U+00FF without their accents ('*': not a letter). */
static const char latin1_base[] = "aaaaaaaceeeeiiii"  /* C0..CF */
                                  "dnooooo*ouuuuyts"  /* D0..DF (Þ→t, ß→s) */
                                  "aaaaaaaceeeeiiii"  /* E0..EF */
                                  "dnooooo*ouuuuyty"; /* F0..FF */

/* Latin Extended-A U+0100..U+017F: pairs of capital and small letters. */
static const char latin_ext_base[] = "aaaaaaccccccccdd" "ddeeeeeeeeeegggg" "gggghhhhiiiiiiii"
                                     "iiiijjkkklllllll" "lllnnnnnnnnnoooo" "oooorrrrrrssssss"
                                     "ssttttttuuuuuuuu" "uuuuwwyyyzzzzzzs";
_Static_assert(sizeof latin_ext_base == 0x80 + 1, "one letter per code point of U+0100..U+017F");
_Static_assert(sizeof latin1_base == 0x40 + 1, "one letter per code point of U+00C0..U+00FF");

/* The Cyrillic letters that fold to another one (lower case in, base out). */
static uint32_t fold_cyrillic(uint32_t cp)
{
    if (cp >= 0x410 && cp <= 0x42F)
        cp += 0x20;
    else if (cp >= 0x400 && cp <= 0x40F)
        cp += 0x50;
    else if (cp >= 0x460 && cp <= 0x4FF && !(cp & 1) && !(cp >= 0x4C0 && cp <= 0x4CF))
        cp += 1; /* paired letters: Ә ә, Ғ ғ, Қ қ, Ң ң, Ө ө, Ұ ұ, Ү ү, Һ һ */
    else if (cp >= 0x4C1 && cp <= 0x4CE && (cp & 1))
        cp += 1;
    switch (cp) {
    case 0x451: case 0x450: case 0x454: return 0x435;  /* ё ѐ є → е */
    case 0x456: case 0x457: case 0x45D: return 0x438;  /* і ї ѝ → и */
    case 0x4D9: return 0x430;                          /* ә → а */
    case 0x493: return 0x433;                          /* ғ → г */
    case 0x49B: return 0x43A;                          /* қ → к */
    case 0x4A3: return 0x43D;                          /* ң → н */
    case 0x4E9: return 0x43E;                          /* ө → о */
    case 0x4B1: case 0x4AF: case 0x45E: return 0x443;  /* ұ ү ў → у */
    case 0x4BB: return 0x445;                          /* һ → х */
    default: return cp;
    }
}

uint32_t fts_fold(uint32_t cp)
{
    if (cp < 0x80) {
        if (cp >= 'A' && cp <= 'Z')
            return cp + 32;
        if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9'))
            return cp;
        return 0;
    }
    if (cp >= 0xC0 && cp <= 0xFF)
        return latin1_base[cp - 0xC0] == '*' ? 0 : (uint32_t)latin1_base[cp - 0xC0];
    if (cp >= 0x100 && cp <= 0x17F)
        return (uint32_t)latin_ext_base[cp - 0x100];
    if (cp >= 0x180 && cp <= 0x24F)
        return cp; /* other Latin letters: kept as they are */
    if (cp >= 0x300 && cp <= 0x36F)
        return FTS_FOLD_DROP; /* combining accents belong to the word, not to its form */
    if (cp >= 0x370 && cp <= 0x3FF)
        return cp >= 0x391 && cp <= 0x3A9 ? cp + 0x20 : cp; /* Greek */
    if (cp >= 0x400 && cp <= 0x52F)
        return cp >= 0x482 && cp <= 0x489 ? 0 : fold_cyrillic(cp);
    if ((cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE00 && cp <= 0xFE6F) ||
        (cp >= 0xFF00 && cp <= 0xFF20) || cp == 0xFFFD || (cp >= 0x80 && cp <= 0xBF))
        return 0; /* punctuation, symbols, spaces */
    return cp;    /* letters of other scripts */
}

static int is_digit(uint32_t folded)
{
    return folded >= '0' && folded <= '9';
}

static int is_apostrophe(uint32_t cp)
{
    return cp == '\'' || cp == 0x2019 || cp == 0x02BC;
}

/* Length of "'s" (or "’s") at text[i..) when it ends a word there, else 0. */
static size_t apostrophe_s(const char *text, size_t len, size_t i)
{
    uint32_t cp;
    int n = utf8_decode(text + i, len - i, &cp);
    if (n <= 0 || !is_apostrophe(cp) || i + (size_t)n >= len || (text[i + (size_t)n] | 0x20) != 's')
        return 0;
    size_t after = i + (size_t)n + 1;
    if (after < len) {
        int m = utf8_decode(text + after, len - after, &cp);
        if (m > 0 && fts_fold(cp) != 0)
            return 0; /* "'st", "O'Sullivan": not a possessive */
    }
    return after - i;
}

int fts_next_word(const char *text, size_t len, size_t *pos, size_t *start, size_t *end,
                  char out[FTS_WORD_MAX + 1])
{
    size_t i = *pos;
    uint32_t cp, f = 0;
    int n;
    /* Skip to the first character with a canonical form. */
    while (i < len) {
        n = utf8_decode(text + i, len - i, &cp);
        if (n > 0 && (f = fts_fold(cp)) != 0 && f != FTS_FOLD_DROP)
            break;
        i += n > 0 ? (size_t)n : 1;
    }
    if (i >= len) {
        *pos = len;
        return 0;
    }
    int digits = is_digit(f);
    size_t o = 0;
    *start = i;
    while (i < len) {
        n = utf8_decode(text + i, len - i, &cp);
        if (n <= 0 || (f = fts_fold(cp)) == 0)
            break;
        if (f != FTS_FOLD_DROP) {
            if (is_digit(f) != digits)
                break; /* "43бап": the number and the word apart */
            char enc[4];
            int m = utf8_encode(f, enc);
            if (o + (size_t)m <= FTS_WORD_MAX) {
                memcpy(out + o, enc, (size_t)m);
                o += (size_t)m;
            }
        }
        i += (size_t)n;
    }
    *end = i;
    out[o] = '\0';
    if (!digits && i < len)
        i += apostrophe_s(text, len, i);
    *pos = i;
    return 1;
}

int fts_is_latin(const char *word)
{
    for (const char *p = word; *p; p++)
        if ((unsigned char)*p >= 0x80)
            return 0;
    return *word != '\0';
}

int fts_is_number(const char *word)
{
    return *word >= '0' && *word <= '9';
}

/* ---- transliteration ------------------------------------------------------ */

/* Latin spellings of Kazakh and Russian, longest first: the Kazakh Latin
 * alphabet of 2021 (diacritics already removed by folding: ş→s, ç→c ...),
 * and how people write without it (sh, zh, kh, ts, ya ...). Output is in
 * canonical form (Kazakh letters already folded). */
static const struct {
    const char *latin;
    const char *cyr;
} latin_map[] = {
    {"shch", "щ"}, {"sch", "щ"}, {"tsh", "ч"},
    {"sh", "ш"}, {"ch", "ч"}, {"zh", "ж"}, {"kh", "х"}, {"ts", "ц"}, {"gh", "г"},
    {"ya", "я"}, {"ia", "я"}, {"yu", "ю"}, {"iu", "ю"}, {"yo", "е"},
    {"a", "а"}, {"b", "б"}, {"c", "ц"}, {"d", "д"}, {"e", "е"}, {"f", "ф"}, {"g", "г"},
    {"h", "х"}, {"i", "и"}, {"j", "ж"}, {"k", "к"}, {"l", "л"}, {"m", "м"}, {"n", "н"},
    {"o", "о"}, {"p", "п"}, {"q", "к"}, {"r", "р"}, {"s", "с"}, {"t", "т"}, {"u", "у"},
    {"v", "в"}, {"w", "у"}, {"x", "х"}, {"z", "з"},
};

static int is_vowel(char c)
{
    return c && strchr("aeiouy", c) != NULL;
}

/* y is й after a vowel or before one at the start of a word, else ы. */
static const char *latin_y(const char *w, size_t i)
{
    if ((i > 0 && is_vowel(w[i - 1])) || (i == 0 && is_vowel(w[1])))
        return "й";
    return "ы";
}

int fts_latin_to_cyrillic(const char *word, char out[FTS_WORD_MAX + 1])
{
    size_t o = 0, i = 0, n = strlen(word);
    if (!fts_is_latin(word))
        return 0;
    while (i < n) {
        const char *cyr = NULL;
        size_t used = 1;
        if (word[i] >= '0' && word[i] <= '9')
            return 0; /* numbers are the same in every script */
        for (size_t k = 0; k < sizeof latin_map / sizeof *latin_map && !cyr; k++) {
            size_t l = strlen(latin_map[k].latin);
            if (strncmp(word + i, latin_map[k].latin, l) == 0) {
                cyr = latin_map[k].cyr;
                used = l;
            }
        }
        if (word[i] == 'y' && used == 1)
            cyr = latin_y(word, i);
        if (!cyr)
            return 0;
        size_t m = strlen(cyr);
        if (o + m > FTS_WORD_MAX)
            break;
        memcpy(out + o, cyr, m);
        o += m;
        i += used;
    }
    out[o] = '\0';
    return o > 0;
}

/* Canonical Cyrillic letters (а..я) to Latin, as English texts spell
 * Russian and Kazakh names. */
static const char *const cyr_latin[32] = {
    "a", "b", "v", "g", "d", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p",
    "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya",
};

int fts_cyrillic_to_latin(const char *word, char out[FTS_WORD_MAX + 1])
{
    size_t o = 0, i = 0, n = strlen(word);
    int any = 0;
    while (i < n) {
        uint32_t cp;
        int m = utf8_decode(word + i, n - i, &cp);
        if (m <= 0)
            return 0;
        i += (size_t)m;
        const char *lat;
        char one[2] = {0, 0};
        if (cp >= 0x430 && cp <= 0x44F) {
            lat = cyr_latin[cp - 0x430];
            any = 1;
        } else if (cp < 0x80) {
            one[0] = (char)cp;
            lat = one;
        } else {
            return 0;
        }
        size_t l = strlen(lat);
        if (o + l > FTS_WORD_MAX)
            break;
        memcpy(out + o, lat, l);
        o += l;
    }
    out[o] = '\0';
    return any && o > 0;
}

/* ---- edit distance ----------------------------------------------------------- */

/* Code points of a UTF-8 word; returns how many (at most max). */
static int decode_all(const char *w, uint32_t *cps, int max)
{
    size_t i = 0, n = strlen(w);
    int k = 0;
    while (i < n && k < max) {
        int m = utf8_decode(w + i, n - i, &cps[k]);
        if (m <= 0)
            break;
        i += (size_t)m;
        k++;
    }
    return k;
}

int fts_distance(const char *a, const char *b, int limit)
{
    uint32_t x[FTS_WORD_MAX], y[FTS_WORD_MAX];
    int n = decode_all(a, x, FTS_WORD_MAX), m = decode_all(b, y, FTS_WORD_MAX);
    if (n - m > limit || m - n > limit)
        return limit + 1;
    /* Optimal string alignment (Damerau–Levenshtein with adjacent swaps),
     * three rows; a row whose minimum passes the limit ends it early. */
    int rows[3][FTS_WORD_MAX + 1];
    int *pp = rows[0], *p = rows[1], *c = rows[2];
    for (int j = 0; j <= m; j++)
        p[j] = j;
    for (int i = 1; i <= n; i++) {
        c[0] = i;
        int best = c[0];
        for (int j = 1; j <= m; j++) {
            int cost = x[i - 1] != y[j - 1];
            int v = p[j] + 1;
            if (c[j - 1] + 1 < v)
                v = c[j - 1] + 1;
            if (p[j - 1] + cost < v)
                v = p[j - 1] + cost;
            if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1] && pp[j - 2] + 1 < v)
                v = pp[j - 2] + 1;
            c[j] = v;
            if (v < best)
                best = v;
        }
        if (best > limit)
            return limit + 1;
        int *t = pp;
        pp = p;
        p = c;
        c = t;
    }
    return p[m];
}

/* ---- trigram tokens ------------------------------------------------------------ */

static void gram_token(const char *gram, size_t len, char *out)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)gram[i]) * 16777619u;
    char digits[8];
    int n = 0;
    do {
        digits[n++] = "0123456789abcdefghijklmnopqrstuvwxyz"[h % 36];
        h /= 36;
    } while (h && n < 7);
    *out++ = 'g';
    while (n > 0)
        *out++ = digits[--n];
    *out = '\0';
}

int fts_gram_tokens(const char *word, char *out)
{
    char padded[FTS_WORD_MAX + 3];
    size_t len = (size_t)snprintf(padded, sizeof padded, "$%s$", word), i = 0, o = 0;
    int n = 0;
    out[0] = '\0';
    if (len >= sizeof padded)
        len = sizeof padded - 1;
    while (i < len && n < FTS_MAX_GRAMS) {
        size_t b = i + utf8_char_len(padded + i);
        if (b >= len)
            break;
        size_t c = b + utf8_char_len(padded + b);
        if (c >= len)
            break;
        size_t d = c + utf8_char_len(padded + c);
        if (n)
            out[o++] = ' ';
        gram_token(padded + i, d - i, out + o);
        o += strlen(out + o);
        n++;
        i = b;
    }
    return n;
}
