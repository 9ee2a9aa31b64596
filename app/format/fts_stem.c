/* fts_stem — stems of canonical words: Snowball (libstemmer) for Russian
 * and English, a small suffix stripper of our own for Kazakh, which
 * Snowball lacks.
 *
 * The Kazakh stripper works on the canonical form (Kazakh letters already
 * folded: ң is н, ғ is г ...), so a word typed on a Russian layout stems
 * as the text does. It removes case, plural, possessive and common verb
 * endings, longest first, up to four times (Kazakh stacks them:
 * азамат-тар-ы-на), and never leaves fewer than four letters. Derivational
 * suffixes (-лық, -шы ...) are left alone: they make new words, and taking
 * them off is how «салық» (tax) would come to match «салынады» (is built). */
#include "fts.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

struct fts_stemmer {
    struct sb_stemmer *ru, *en;
};

fts_stemmer *fts_stemmer_new(void)
{
    fts_stemmer *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->ru = sb_stemmer_new("russian", "UTF_8");
    s->en = sb_stemmer_new("english", "UTF_8");
    if (!s->ru || !s->en) {
        fts_stemmer_free(s);
        return NULL;
    }
    return s;
}

void fts_stemmer_free(fts_stemmer *s)
{
    if (!s)
        return;
    if (s->ru)
        sb_stemmer_delete(s->ru);
    if (s->en)
        sb_stemmer_delete(s->en);
    free(s);
}

fts_lang fts_lang_of(const char *code)
{
    if (!code)
        return FTS_LANG_OTHER;
    if (!strcmp(code, "kk"))
        return FTS_LANG_KK;
    if (!strcmp(code, "ru"))
        return FTS_LANG_RU;
    if (!strcmp(code, "en"))
        return FTS_LANG_EN;
    return FTS_LANG_OTHER;
}

/* Kazakh endings in canonical form, longest first within each length so the
 * first match is the longest. */
static const char *const kk_suffixes[] = {
    /* 5 letters */
    "ымыздын", "имиздин", "ынызды", "иниздин",
    /* 4 */
    "менен", "ымыз", "имиз", "ыныз", "иниз", "атын", "етин", "йтын", "йтин", "ында", "инде", "ынан", "инен",
    /* 3: case */
    "дын", "дин", "тын", "тин", "нын", "нин",                 /* genitive */
    "дан", "ден", "тан", "тен", "нан", "нен",                 /* ablative */
    "нда", "нде",                                             /* locative after possessive */
    "мен", "бен", "пен",                                      /* instrumental */
    "лар", "лер", "дар", "дер", "тар", "тер",                 /* plural */
    "мыз", "миз", "ныз", "низ",                               /* our, your (polite) */
    "ады", "еди", "йды", "йди",                               /* 3rd person present */
    "ган", "ген", "кан", "кен",                               /* participle */
    "гын", "гин", "кын", "кин",                               /* imperative */
    /* 2 */
    "га", "ге", "ка", "ке", "на", "не",                       /* dative */
    "ды", "ди", "ты", "ти", "ны", "ни",                       /* accusative, past */
    "да", "де", "та", "те",                                   /* locative */
    "сы", "си",                                               /* possessive 3rd */
    "уы", "уи",                                               /* verbal noun + possessive */
    /* 1 */
    "ы", "и", "а", "е", "у",
};

#define KK_MIN_STEM 4
#define KK_ROUNDS 4

/* Number of code points of the first len bytes of w. */
static size_t letters(const char *w, size_t len)
{
    return utf8_count(w, len);
}

/* Voicing at a morpheme boundary: салығы → салыг → салык, кітабы → китаб
 * → китап. Only after a suffix came off. */
static void devoice_end(char *w, size_t *len)
{
    if (*len < 2)
        return;
    char *last = w + *len - 2;
    if (!memcmp(last, "г", 2))
        memcpy(last, "к", 2);
    else if (!memcmp(last, "б", 2))
        memcpy(last, "п", 2);
}

size_t fts_stem_kk(const char *word, char out[FTS_WORD_MAX + 1])
{
    size_t len = strlen(word);
    if (len > FTS_WORD_MAX)
        len = utf8_cut(word, FTS_WORD_MAX);
    memcpy(out, word, len);
    out[len] = '\0';
    if (fts_is_latin(out) || fts_is_number(out))
        return len;
    int stripped = 0;
    for (int round = 0; round < KK_ROUNDS; round++) {
        size_t cut = 0;
        for (size_t k = 0; k < sizeof kk_suffixes / sizeof *kk_suffixes && !cut; k++) {
            size_t sl = strlen(kk_suffixes[k]);
            if (sl < len && !memcmp(out + len - sl, kk_suffixes[k], sl) && letters(out, len - sl) >= KK_MIN_STEM)
                cut = sl;
        }
        if (!cut)
            break;
        len -= cut;
        out[len] = '\0';
        stripped = 1;
    }
    if (stripped)
        devoice_end(out, &len);
    out[len] = '\0';
    return len;
}

static size_t snowball(struct sb_stemmer *sb, const char *word, char out[FTS_WORD_MAX + 1])
{
    const sb_symbol *r = sb_stemmer_stem(sb, (const sb_symbol *)word, (int)strlen(word));
    size_t n = r ? (size_t)sb_stemmer_length(sb) : 0;
    if (!r || n == 0) {
        n = strlen(word);
        r = (const sb_symbol *)word;
    }
    if (n > FTS_WORD_MAX)
        n = utf8_cut((const char *)r, FTS_WORD_MAX);
    memmove(out, r, n);
    out[n] = '\0';
    return n;
}

size_t fts_stem(fts_stemmer *s, fts_lang lang, const char *word, char out[FTS_WORD_MAX + 1])
{
    if (fts_is_number(word) || lang == FTS_LANG_OTHER) {
        size_t n = strlen(word);
        memmove(out, word, n + 1);
        return n;
    }
    if (lang == FTS_LANG_KK && !fts_is_latin(word))
        return fts_stem_kk(word, out);
    /* Latin words in Russian texts (and the reverse) are names and terms:
     * the stemmer of their own script does better than none. */
    return snowball(fts_is_latin(word) ? s->en : s->ru, word, out);
}
