#include "synth.h"

#include "utf8.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <sys/stat.h>

/* Real words (with inflected forms) are mixed into generated text so that
 * searches hit a realistic share of items, as they would in real content. */
static const char *const words_ru[] = {
    "президент", "президента", "Президентом", "конституция", "конституции", "закон", "закона",
    "законы", "право", "права", "граждан", "гражданина", "государство", "государства", "республика",
    "парламент", "парламента", "суд", "суда", "выборы", "срок", "статья", "статьи", "пункт",
    "защита", "данные", "персональных", "переписка", "её", "объём", "семья", "решение", "народ",
    "справедливость", "порядок", "комиссия", "заседание", "депутат", "общество", "язык",
};
static const char *const words_kk[] = {
    "президент", "Президенттің", "конституция", "Конституцияның", "заң", "заңның", "заңдар",
    "құқық", "құқығы", "азамат", "азаматтардың", "мемлекет", "мемлекеттің", "республика",
    "парламент", "сот", "сайлау", "мерзім", "бап", "баптың", "тармақ", "қорғау", "деректер",
    "жеке", "хат", "отбасы", "шешім", "халық", "әділет", "әділетті", "тәртіп", "комиссия",
    "отырыс", "депутат", "қоғам", "тіл", "өңір", "ұлттық", "үкімет", "білім",
};
static const char *const words_en[] = {
    "president", "presidential", "constitution", "constitutional", "law", "laws", "right",
    "rights", "citizen", "citizens", "state", "republic", "parliament", "court", "election",
    "term", "article", "clause", "protection", "data", "personal", "correspondence", "family",
    "decision", "people", "justice", "order", "commission", "session", "deputy", "society",
    "language", "region", "national", "government", "education", "health", "budget", "land", "city",
};

static const char *const syl_ru[] = {"ка", "ро", "ва", "ни", "ст", "ол", "ен", "пра", "за", "ми",
                                      "то", "ль", "де", "ре", "ны", "ём", "ско", "го", "ва", "ти"};
static const char *const syl_kk[] = {"қа", "ла", "ғы", "ын", "ер", "ік", "ұл", "өз", "әр", "ің",
                                      "те", "ба", "сы", "үй", "һа", "ды", "мен", "на", "рі", "ты"};
static const char *const syl_en[] = {"ta", "ro", "ve", "ni", "st", "ol", "en", "pra", "za", "mi",
                                      "to", "le", "de", "re", "ny", "er", "sco", "go", "va", "ti"};

#define N_WORDS 40
#define N_SYL 20

/* xorshift32: tiny, deterministic on every platform. */
static unsigned next_rand(unsigned *s)
{
    unsigned x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

typedef struct {
    const char *const *words;
    const char *const *syl;
} vocab;

static void put_word(FILE *f, const vocab *v, unsigned *rng)
{
    if (next_rand(rng) % 4 == 0) {
        fputs(v->words[next_rand(rng) % N_WORDS], f);
        return;
    }
    int n = 2 + (int)(next_rand(rng) % 3);
    for (int i = 0; i < n; i++)
        fputs(v->syl[next_rand(rng) % N_SYL], f);
}

static void put_sentence(FILE *f, const vocab *v, unsigned *rng, int words)
{
    for (int i = 0; i < words; i++) {
        if (i)
            fputc(' ', f);
        put_word(f, v, rng);
    }
    fputs(". ", f);
}

static int write_lang(const char *dir, const char *lang, const vocab *v, int item, unsigned *rng)
{
    char path[700];
    snprintf(path, sizeof path, "%s/%s.md", dir, lang);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs("---\ntitle: ", f);
    for (int i = 0; i < 3 + (int)(next_rand(rng) % 4); i++) {
        if (i)
            fputc(' ', f);
        put_word(f, v, rng);
    }
    fprintf(f, " %d\nsummary: ", item);
    put_sentence(f, v, rng, 10 + (int)(next_rand(rng) % 10));
    fputs("\n---\n", f);
    /* 3–8 paragraphs of 3–6 sentences: 1.5–6 KB, like a news article. */
    int paras = 3 + (int)(next_rand(rng) % 6);
    for (int p = 0; p < paras; p++) {
        if (p == 1)
            fputs("## ", f), put_sentence(f, v, rng, 4), fputs("\n\n", f);
        int sentences = 3 + (int)(next_rand(rng) % 4);
        for (int s = 0; s < sentences; s++)
            put_sentence(f, v, rng, 6 + (int)(next_rand(rng) % 12));
        fputs("\n\n", f);
    }
    return fclose(f) == 0 ? 0 : -1;
}

static int write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f) == 0 ? 0 : -1;
}

int synth_write_source(const char *dir, int n_items, unsigned seed, char *err, size_t errcap)
{
    static const vocab vk = {words_kk, syl_kk}, vr = {words_ru, syl_ru}, ve = {words_en, syl_en};
    static const int n_categories = 10;
    unsigned rng = seed ? seed : 1;
    char path[700];
    snprintf(path, sizeof path, "%s/items", dir);
    if (mkdir(dir, 0755) < 0 || mkdir(path, 0755) < 0) {
        snprintf(err, errcap, "cannot create %s: %s", path, strerror(errno));
        return -1;
    }
    snprintf(path, sizeof path, "%s/bundle.conf", dir);
    FILE *f = fopen(path, "w");
    if (!f)
        goto io_fail;
    fputs("[bundle]\ntitle = Synthetic benchmark content\nversion = 1\n"
          "created = 2026-01-01T00:00:00Z\nlanguages = kk ru en\nfallback = kk ru en\n", f);
    for (int c = 0; c < n_categories; c++)
        fprintf(f, "\n[category cat%d]\norder = %d\ntitle.kk = Санат %d\ntitle.ru = Раздел %d\n"
                   "title.en = Section %d\n", c, c + 1, c, c, c);
    if (fclose(f) != 0)
        goto io_fail;
    for (int i = 0; i < n_items; i++) {
        char item_dir[620], conf[200];
        snprintf(item_dir, sizeof item_dir, "%s/items/item%05d", dir, i);
        if (mkdir(item_dir, 0755) < 0)
            goto io_fail;
        snprintf(conf, sizeof conf, "kind = article\ncategory = cat%d\norder = %d\n", i % n_categories, i);
        snprintf(path, sizeof path, "%s/item.conf", item_dir);
        if (write_text(path, conf) < 0 || write_lang(item_dir, "kk", &vk, i, &rng) < 0 ||
            write_lang(item_dir, "ru", &vr, i, &rng) < 0 || write_lang(item_dir, "en", &ve, i, &rng) < 0)
            goto io_fail;
    }
    return 0;
io_fail:
    snprintf(err, errcap, "cannot write %s: %s", path, strerror(errno));
    return -1;
}

const char *synth_query(int i, char *out, size_t cap)
{
    /* Four shapes per language: whole word, short prefix, long prefix, two
     * words. Indexes walk the vocabularies so 100+ queries are all different. */
    static const char *const langs[] = {"kk", "ru", "en"};
    static const char *const *const vocabs[] = {words_kk, words_ru, words_en};
    int lang = i % 3;
    int shape = (i / 3) % 4;
    int w = (i / 12 * 7 + i) % N_WORDS;
    const char *a = vocabs[lang][w];
    const char *b = vocabs[lang][(w + 13) % N_WORDS];
    size_t alen = strlen(a);
    switch (shape) {
    case 0:
        snprintf(out, cap, "%s", a);
        break;
    case 1: /* first 2–3 letters, as typed on the keyboard so far */
        snprintf(out, cap, "%.*s", (int)(alen >= 6 ? 6 : 4), a);
        break;
    case 2: /* long prefix of an inflected form */
        snprintf(out, cap, "%.*s", (int)(alen > 8 ? alen - 4 : alen), a);
        break;
    default:
        snprintf(out, cap, "%s %s", a, b);
        break;
    }
    /* Never end inside a UTF-8 sequence (prefix cuts are byte counts). */
    size_t n = strlen(out), end = 0;
    while (end < n) {
        uint32_t cp;
        int len = utf8_decode(out + end, n - end, &cp);
        if (len < 0)
            break;
        end += (size_t)len;
    }
    out[end] = '\0';
    return langs[lang];
}

const char *synth_shape_name(synth_shape shape)
{
    static const char *const names[SYNTH_Q__COUNT] = {"1 letter", "2 letters", "3+ letters", "whole words",
                                                      "corrections"};
    return shape < SYNTH_Q__COUNT ? names[shape] : "?";
}

/* Byte offset of code point n of s (or its length). */
static size_t cp_offset(const char *s, size_t n)
{
    size_t i = 0, len = strlen(s);
    while (n-- > 0 && i < len)
        i += utf8_char_len(s + i);
    return i;
}

const char *synth_query_shaped(synth_shape shape, int i, char *out, size_t cap)
{
    static const char *const langs[] = {"kk", "ru", "en"};
    static const char *const *const vocabs[] = {words_kk, words_ru, words_en};
    int lang = i % 3;
    const char *a = vocabs[lang][(i / 3 * 7) % N_WORDS];
    const char *b = vocabs[lang][(i / 3 * 7 + 13) % N_WORDS];
    size_t letters = utf8_count(a, strlen(a));
    switch (shape) {
    case SYNTH_Q_1:
    case SYNTH_Q_2:
        snprintf(out, cap, "%.*s", (int)cp_offset(a, shape == SYNTH_Q_1 ? 1 : 2), a);
        break;
    case SYNTH_Q_3: {
        size_t n = letters <= 3 ? letters : 3 + (size_t)(i / 3) % (letters - 3);
        snprintf(out, cap, "%.*s", (int)cp_offset(a, n), a);
        break;
    }
    case SYNTH_Q_WORDS:
        if ((i / 3) % 2)
            snprintf(out, cap, "%s %s ", a, b);
        else
            snprintf(out, cap, "%s ", a);
        break;
    default: {
        /* A word of five letters or more with two inner letters swapped. */
        for (int k = 0; letters < 5 && k < N_WORDS; k++) {
            a = vocabs[lang][(i / 3 * 7 + k) % N_WORDS];
            letters = utf8_count(a, strlen(a));
        }
        size_t p = 1 + (size_t)(i / 3) % (letters - 3);
        size_t x = cp_offset(a, p), y = cp_offset(a, p + 1), z = cp_offset(a, p + 2);
        snprintf(out, cap, "%.*s%.*s%.*s%s ", (int)x, a, (int)(z - y), a + y, (int)(y - x), a + x, a + z);
        break;
    }
    }
    return langs[lang];
}
