/* i18n — see i18n.h. One table, one row per string, so a missing translation
 * is visible at a glance and caught by the test that every cell is filled.
 *
 * Word choices, for reviewers:
 * - Law terms follow the official texts of the Constitution: бап / статья =
 *   article, тармақ / пункт = clause.
 * - "Featured" is Ұсынамыз / Рекомендуем, not Главное, which a hurried reader
 *   would confuse with Главная (Home).
 * - Russian Предыдущая / Следующая are feminine to agree with карточка and
 *   статья, the things they page through.
 * - Kazakh and Russian use «» quotes, English “”.
 */
#include "i18n.h"

#include <assert.h>
#include <stddef.h>
#include <string.h>

static const char *const STRINGS[I18N_STRING_COUNT][I18N_LANG_COUNT] = {
    [I18N_HOME] = {"Басты бет", "Главная", "Home"},
    [I18N_BACK] = {"Артқа", "Назад", "Back"},
    [I18N_SEARCH] = {"Іздеу", "Поиск", "Search"},
    [I18N_TEXT_SIZE] = {"Мәтін өлшемі", "Размер текста", "Text size"},
    [I18N_LANGUAGE] = {"Тіл", "Язык", "Language"},
    [I18N_TOUCH_TO_START] = {"Бастау үшін экранды түртіңіз", "Коснитесь экрана, чтобы начать",
                             "Touch to start"},
    [I18N_SEARCH_TITLE] = {"Материалдар бойынша іздеу", "Поиск по материалам",
                           "Search the content"},
    [I18N_SEARCH_PLACEHOLDER] = {"Сөз жазыңыз…", "Введите слово…", "Type a word…"},
    [I18N_NO_RESULTS] = {"«%s» бойынша ештеңе табылмады", "По запросу «%s» ничего не найдено",
                         "No results for “%s”"},
    [I18N_NO_RESULTS_HINT] = {"Қысқарақ сөзді немесе сөздің басын жазып көріңіз",
                              "Попробуйте более короткое слово или начало слова",
                              "Try a shorter word or the beginning of a word"},
    [I18N_RESULTS] = {"Нәтижелер", "Результаты", "Results"},
    [I18N_CONTENTS] = {"Мазмұны", "Содержание", "Contents"},
    [I18N_READ_CLAUSE] = {"Тармақты оқу", "Читать пункт", "Read the clause"},
    [I18N_PREVIOUS] = {"Алдыңғы", "Предыдущая", "Previous"},
    [I18N_NEXT] = {"Келесі", "Следующая", "Next"},
    /* Kazakh puts the ordinal first; "(барлығы %d)" = "(%d in all)" keeps the
     * arguments in the same order as the other languages. */
    [I18N_CARD_OF] = {"%d-карточка (барлығы %d)", "Карточка %d из %d", "Card %d of %d"},
    [I18N_EXCERPT] = {"Үзінді", "Выдержка", "Excerpt"},
    [I18N_IMAGE_UNAVAILABLE] = {"Сурет қолжетімсіз", "Изображение недоступно",
                                "Image not available"},
    [I18N_TEXT_NOT_IN_LANG] = {"Бұл мәтін таңдалған тілде әзірге жоқ",
                               "Этот текст пока недоступен на выбранном языке",
                               "This text is not available in this language"},
    [I18N_LINK_UNAVAILABLE] = {"Сілтеме қолжетімсіз", "Ссылка недоступна", "Link not available"},
    [I18N_OUT_OF_SERVICE] = {"Уақытша жұмыс істемейді", "Временно не работает", "Out of service"},
    [I18N_FEATURED] = {"Ұсынамыз", "Рекомендуем", "Featured"},
    [I18N_CATEGORIES] = {"Бөлімдер", "Разделы", "Categories"},
    [I18N_CLAUSE] = {"Тармақ", "Пункт", "Clause"},
    [I18N_ARTICLE] = {"Бап", "Статья", "Article"},
    [I18N_CLEAR] = {"Тазарту", "Очистить", "Clear"},
    [I18N_DONE] = {"Дайын", "Готово", "Done"},
    [I18N_WELCOME] = {"Қош келдіңіз", "Добро пожаловать", "Welcome"},
    [I18N_CHOOSE] = {"Тіл мен тақырыпты таңдаңыз", "Выберите язык и тему",
                     "Choose a language and a topic"},
    [I18N_OPEN] = {"Ашу", "Открыть", "Open"},
    [I18N_APP_NAME] = {"Ақпараттық терминал", "Информационный терминал", "Information point"},
    [I18N_SEARCH_EXAMPLE] = {"Мысалы: президент, 43-бап, тәртіп", "Например: президент, статья 43, порядок",
                             "For example: president, article 43, order"},
};

static const struct {
    const char *code;
    const char *name;
} LANGS[I18N_LANG_COUNT] = {
    [I18N_KK] = {"kk", "Қазақша"},
    [I18N_RU] = {"ru", "Русский"},
    [I18N_EN] = {"en", "English"},
};

const char *i18n_get(i18n_lang lang, i18n_id id)
{
    assert(lang >= 0 && lang < I18N_LANG_COUNT);
    assert(id >= 0 && id < I18N_STRING_COUNT);
    const char *s = STRINGS[id][lang];
    /* A hole in the table is a bug the unit test catches; in a release build
     * English beats an empty button. */
    return s ? s : STRINGS[id][I18N_EN] ? STRINGS[id][I18N_EN] : "";
}

const char *i18n_code(i18n_lang lang)
{
    assert(lang >= 0 && lang < I18N_LANG_COUNT);
    return LANGS[lang].code;
}

const char *i18n_name(i18n_lang lang)
{
    assert(lang >= 0 && lang < I18N_LANG_COUNT);
    return LANGS[lang].name;
}

static char lower_ascii(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* A locale-style suffix after "kk": "-KZ", "_KZ", "_KZ.UTF-8", "_RU.utf8@x". */
static bool region_suffix(const char *s)
{
    if (*s == '\0')
        return true;
    if (*s != '-' && *s != '_')
        return false;
    size_t n = strspn(s + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_@");
    return n >= 1 && n <= 16 && s[1 + n] == '\0';
}

bool i18n_parse(const char *code, i18n_lang *out)
{
    assert(out);
    if (!code || !code[0] || !code[1] || !region_suffix(code + 2))
        return false;
    for (int l = 0; l < I18N_LANG_COUNT; l++) {
        if (lower_ascii(code[0]) == LANGS[l].code[0] && lower_ascii(code[1]) == LANGS[l].code[1]) {
            *out = (i18n_lang)l;
            return true;
        }
    }
    return false;
}

i18n_lang i18n_next(i18n_lang lang)
{
    assert(lang >= 0 && lang < I18N_LANG_COUNT);
    return (i18n_lang)((lang + 1) % I18N_LANG_COUNT);
}
