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
 * - Operator screens: "kiosk" is терминал in both (as the app's own name,
 *   Ақпараттық терминал / Информационный терминал); content is материалдар /
 *   материалы (as in the search title); an update is жаңарту / обновление.
 * - Durations avoid case endings that depend on the number: Kazakh says
 *   "5 сағ 12 мин қалды" (… left) and "… бұрын" (… ago), which need none;
 *   Russian "через 5 ч 12 мин", "5 ч 12 мин назад" read the same way.
 * - Counts are shown as "Label: N" (Осталось попыток: 3, Қалған әрекет
 *   саны: 3), so no plural forms are needed, except on the search
 *   screen's "N results – show" button: a label read at a glance, in the
 *   count's own form (i18n_plural; 3 результата, 5 результатов, 3 нәтиже).
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
    [I18N_REACH_DOWN] = {"Экранды төмен түсіру", "Опустить экран", "Bring the screen down"},
    [I18N_REACH_FULL] = {"Толық экран", "Весь экран", "Full screen"},
    [I18N_REACH_RETURN] = {"Экранды орнына қайтару үшін осы жерді түртіңіз",
                           "Коснитесь здесь, чтобы вернуть экран на место", "Tap here to put the screen back"},
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
    [I18N_ASK_STAFF] = {"Көмек керек болса, қызметкерге жүгініңіз.",
                        "Если нужна помощь, обратитесь к сотруднику.",
                        "Please ask a member of staff for help."},
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
    [I18N_LISTEN] = {"Тыңдау", "Слушать", "Listen"},
    [I18N_STOP_LISTENING] = {"Тоқтату", "Стоп", "Stop"},
    [I18N_SPEECH_UNAVAILABLE] = {"Дауыстап оқу қолжетімсіз", "Чтение вслух недоступно",
                                 "Reading aloud is not available"},
    [I18N_SHOWING_RESULTS] = {"«%s» бойынша нәтижелер көрсетілген", "Показаны результаты по запросу «%s»",
                              "Showing results for “%s”"},
    [I18N_SEARCH_INSTEAD] = {"«%s» бойынша іздеу", "Искать «%s»", "Search for “%s” instead"},
    [I18N_OTHER_LANGS] = {"Бұл тілде ештеңе табылмады. Басқа тілдердегі нәтижелер:",
                          "На этом языке ничего не найдено. Результаты на других языках:",
                          "Nothing found in this language. Results in other languages:"},
    [I18N_DISPLAY] = {"Экран баптаулары", "Настройки экрана", "Screen settings"},
    [I18N_SIZE_NORMAL] = {"Қалыпты", "Обычный", "Normal"},
    [I18N_SIZE_LARGE] = {"Үлкен", "Крупный", "Large"},
    [I18N_SIZE_LARGER] = {"Үлкенірек", "Крупнее", "Larger"},
    [I18N_SIZE_LARGEST] = {"Ең үлкен", "Самый крупный", "Largest"},
    [I18N_CONTRAST] = {"Түс контрасы", "Контраст", "Contrast"},
    [I18N_CONTRAST_STANDARD] = {"Қалыпты", "Обычный", "Standard"},
    [I18N_CONTRAST_HIGH] = {"Жоғары", "Высокий", "High"},
    [I18N_PREVIEW_ERRORS] = {"Бұл өзгеріс жинақталмайды, соңғы дұрыс нұсқа көрсетілуде:",
                             "Эта правка не собирается, показана последняя рабочая версия:",
                             "This edit does not build; the last good version is shown:"},
    [I18N_PREVIEW_WARNINGS] = {"Мазмұн жинақталды, бірақ ескертулер бар:", "Содержимое собрано, но есть предупреждения:",
                               "The content builds, with warnings:"},
    [I18N_OPERATOR_SCREEN] = {"Оператор экраны", "Экран оператора", "Operator screen"},
    [I18N_OPERATOR_DISABLED] = {"Оператор экраны өшірулі (PIN-код орнатылмаған)",
                                "Экран оператора отключён (PIN-код не задан)",
                                "Operator screen disabled (no PIN set)"},
    [I18N_PIN_TITLE] = {"Оператордың PIN-кодын енгізіңіз", "Введите PIN-код оператора", "Enter the operator PIN"},
    [I18N_PIN_WRONG] = {"PIN-код қате. Қалған әрекет саны: %d", "Неверный PIN-код. Осталось попыток: %d",
                        "Wrong PIN. Attempts left: %d"},
    [I18N_PIN_LOCKED] = {"Қате PIN-код тым көп рет енгізілді", "Слишком много неверных попыток",
                         "Too many wrong PINs"},
    [I18N_PIN_LOCKED_FOR] = {"Пернетақта құлыпталды. Қалған уақыт: %d:%02d",
                             "Клавиатура заблокирована. Осталось: %d:%02d",
                             "Keypad locked. Try again in %d:%02d"},
    [I18N_PIN_OK] = {"Кіру", "Войти", "Enter"},
    [I18N_CANCEL] = {"Бас тарту", "Отмена", "Cancel"},
    [I18N_CLOSE] = {"Жабу", "Закрыть", "Close"},
    [I18N_ADMIN_UPDATES] = {"Материалдар мен жаңартулар", "Материалы и обновления", "Content and updates"},
    [I18N_ADMIN_KIOSK] = {"Осы терминал", "Этот терминал", "This kiosk"},
    [I18N_ADMIN_CONTENT_VERSION] = {"Материалдар нұсқасы", "Версия материалов", "Content version"},
    [I18N_ADMIN_VERSION_BUILT] = {"%s, жасалған күні %s", "%s от %s", "%s, built %s"},
    [I18N_ADMIN_VERSION_PUBLISHED] = {"%s, жарияланған күні %s", "%s, опубликована %s", "%s, published %s"},
    [I18N_ADMIN_LAST_CHECK] = {"Соңғы тексеру", "Последняя проверка", "Last check"},
    [I18N_ADMIN_LAST_SUCCESS] = {"Соңғы сәтті тексеру", "Последняя успешная проверка", "Last successful check"},
    [I18N_ADMIN_NEXT_CHECK] = {"Келесі тексеру", "Следующая проверка", "Next check"},
    [I18N_ADMIN_LAST_ERROR] = {"Соңғы қате", "Последняя ошибка", "Last error"},
    [I18N_ADMIN_SYNC_OFF] = {"Желі арқылы жаңарту бапталмаған", "Обновление по сети не настроено",
                             "Network updates are not configured"},
    [I18N_ADMIN_KIOSK_ID] = {"Терминал идентификаторы", "Идентификатор терминала", "Kiosk ID"},
    [I18N_ADMIN_SOFTWARE] = {"Бағдарлама нұсқасы", "Версия программы", "Software version"},
    [I18N_ADMIN_UPTIME] = {"Жұмыс уақыты", "Время работы", "Uptime"},
    [I18N_ADMIN_MEMORY] = {"Пайдаланылған жад", "Занято памяти", "Memory in use"},
    [I18N_ADMIN_DISK] = {"Дискідегі бос орын", "Свободно на диске", "Free disk space"},
    [I18N_ADMIN_USAGE] = {"Пайдалану (тек сандар)", "Использование (только счётчики)", "Usage (counts only)"},
    [I18N_ADMIN_USAGE_TODAY] = {"Бүгін", "Сегодня", "Today"},
    [I18N_ADMIN_USAGE_KEPT] = {"Соңғы %s күн", "За %s дн.", "Last %s days"},
    [I18N_ADMIN_USAGE_DAY] = {"%s сеанс · %s экран · %s іздеу (%s нәтижесіз)",
                              "%s сеансов · %s экранов · %s поисков (%s без результатов)",
                              "%s sessions · %s screens · %s searches (%s found nothing)"},
    [I18N_ADMIN_USAGE_PERIOD] = {"%s сеанс · %s экран", "%s сеансов · %s экранов", "%s sessions · %s screens"},
    [I18N_ADMIN_STALE_TITLE] = {"Жаңартулар туралы мәліметтердің мерзімі өтті",
                                "Срок действия сведений об обновлениях истёк",
                                "Update information has expired"},
    [I18N_ADMIN_STALE_TEXT] = {"Терминал орнатылған материалдарды көрсетуді жалғастырады, бірақ жаңартуларды "
                               "қабылдамайды. Желіні және жариялаушы репозиторийінің қайта қол қойылғанын тексеріңіз.",
                               "Терминал продолжает показывать установленные материалы, но не принимает обновления. "
                               "Проверьте сеть и то, что репозиторий издателя заново подписан.",
                               "The kiosk keeps showing the installed content but accepts no updates. Check the "
                               "network and that the publisher's repository has been signed afresh."},
    [I18N_ADMIN_SYNC_RUNNING] = {"Жаңарту жүріп жатыр", "Идёт обновление", "Update in progress"},
    [I18N_ADMIN_PHASE_CHECKING] = {"Тексеру", "Проверка", "Checking"},
    [I18N_ADMIN_PHASE_DOWNLOADING] = {"Жүктеп алу", "Загрузка", "Downloading"},
    [I18N_ADMIN_PHASE_APPLYING] = {"Орнату", "Установка", "Installing"},
    [I18N_ADMIN_RECORDS] = {"Жазбалар: %s / %s", "Записи: %s из %s", "Records: %s of %s"},
    [I18N_ADMIN_BYTES] = {"Жүктелді: %s / %s", "Загружено: %s из %s", "Downloaded: %s of %s"},
    [I18N_ADMIN_SYNC_NOW] = {"Қазір жаңарту", "Обновить сейчас", "Sync now"},
    [I18N_ADMIN_IMPORT_USB] = {"USB-ден импорттау", "Импорт с USB", "Import from USB"},
    [I18N_ADMIN_RESTART] = {"Терминалды қайта іске қосу", "Перезапустить терминал", "Restart kiosk"},
    [I18N_ADMIN_EXIT] = {"Жұмыс үстеліне шығу", "Выйти на рабочий стол", "Exit to desktop"},
    [I18N_ADMIN_TOUCH_TEST] = {"Түртуді тексеру", "Проверка касаний", "Touch test"},
    [I18N_ADMIN_TEST_PATTERN] = {"Экранды тексеру кестесі", "Тестовая таблица экрана", "Screen test pattern"},
    [I18N_ADMIN_RESTART_ASK] = {"Терминалды қазір қайта іске қосасыз ба?", "Перезапустить терминал сейчас?",
                                "Restart the kiosk now?"},
    [I18N_ADMIN_EXIT_ASK] = {"Терминалды жауып, жұмыс үстеліне шығасыз ба? Ол қайта іске қосылғанша тоқтап тұрады.",
                             "Закрыть терминал и выйти на рабочий стол? Он не будет работать, пока его не запустят снова.",
                             "Close the kiosk and go to the desktop? It stays stopped until it is started again."},
    [I18N_ADMIN_SYNC_ASKED] = {"Жаңартуларды тексеру басталды", "Проверка обновлений запущена",
                               "Update check started"},
    [I18N_ADMIN_IMPORT_ASKED] = {"USB жинақтағыштан материалдар ізделуде", "Поиск материалов на USB-накопителе",
                                 "Looking for content on the USB stick"},
    [I18N_NEVER] = {"әлі болған жоқ", "ни разу", "never"},
    [I18N_NONE] = {"жоқ", "нет", "none"},
    [I18N_AGO] = {"%s бұрын", "%s назад", "%s ago"},
    [I18N_IN] = {"%s қалды", "через %s", "in %s"},
    [I18N_JUST_NOW] = {"жаңа ғана", "только что", "just now"},
    [I18N_DUE_NOW] = {"қазір басталады", "вот-вот начнётся", "due now"},
    [I18N_UNIT_DAYS] = {"күн", "дн", "d"},
    [I18N_UNIT_HOURS] = {"сағ", "ч", "h"},
    [I18N_UNIT_MINUTES] = {"мин", "мин", "min"},
    [I18N_UNIT_BYTES] = {"Б", "Б", "B"},
    [I18N_UNIT_KB] = {"КБ", "КБ", "KB"},
    [I18N_UNIT_MB] = {"МБ", "МБ", "MB"},
    [I18N_UNIT_GB] = {"ГБ", "ГБ", "GB"},
    [I18N_TOUCH_HINT] = {"Экранды бір немесе бірнеше саусақпен түртіңіз", "Коснитесь экрана одним или несколькими пальцами",
                         "Touch the screen with one or more fingers"},
    [I18N_TOUCH_COUNT] = {"Экрандағы саусақтар: %d", "Пальцев на экране: %d", "Fingers on the screen: %d"},
    [I18N_PATTERN_HINT] = {"Жабу үшін кез келген жерді түртіңіз", "Коснитесь в любом месте, чтобы закрыть",
                           "Tap anywhere to close"},
    /* Speech mode follows the phones' screen readers: touch to hear,
     * double tap to activate, swipe for the next or previous element. */
    [I18N_SPEECH_MODE_ON] = {"Дыбыстап оқу режимі қосылды. Экран: %s. Саусағыңыздың астында не бар екенін есту "
                             "үшін экранды түртіңіз. Таңдау үшін кез келген жерді екі рет түртіңіз. Келесі немесе "
                             "алдыңғы элементке өту үшін саусақты оңға немесе солға сырғытыңыз. Бетті жылжыту үшін "
                             "екі саусақпен сырғытыңыз.",
                             "Режим озвучивания включён. Экран: %s. Коснитесь экрана, чтобы услышать, что под "
                             "пальцем. Чтобы выбрать, дважды коснитесь в любом месте. Чтобы перейти к следующему "
                             "или предыдущему элементу, проведите пальцем вправо или влево. Чтобы прокрутить "
                             "страницу, ведите двумя пальцами.",
                             "Speech mode is on. Screen: %s. Touch the screen to hear what is under your finger. "
                             "To activate it, double tap anywhere. To move to the next or previous item, swipe "
                             "right or left. To scroll, drag with two fingers."},
    [I18N_KEY_SHIFT] = {"Бас әріптер", "Заглавные буквы", "Capital letters"},
    [I18N_KEY_BACKSPACE] = {"Өшіру", "Удалить", "Delete"},
    [I18N_KEY_SPACE] = {"Бос орын", "Пробел", "Space"},
    [I18N_KEY_HYPHEN] = {"Сызықша", "Дефис", "Hyphen"},
    [I18N_CHOSEN] = {"таңдалған", "выбрано", "chosen"},
    [I18N_RESULTS_SHOW_ONE] = {"%d нәтиже – көрсету", "%d результат – показать", "%d result – show"},
    [I18N_RESULTS_SHOW_FEW] = {"%d нәтиже – көрсету", "%d результата – показать", "%d results – show"},
    [I18N_RESULTS_SHOW_MANY] = {"%d нәтиже – көрсету", "%d результатов – показать", "%d results – show"},
    [I18N_KEY_LAYOUT] = {"Пернетақта тілін ауыстыру", "Сменить язык клавиатуры", "Change the keyboard language"},
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

const char *i18n_short_name(i18n_lang lang)
{
    static const char *const shorts[I18N_LANG_COUNT] = {"ҚАЗ", "РУС", "ENG"};
    assert(lang >= 0 && lang < I18N_LANG_COUNT);
    return shorts[lang];
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

i18n_plural_form i18n_plural(i18n_lang lang, long n)
{
    long m = n < 0 ? -n : n, last = m % 10, last2 = m % 100;
    switch (lang) {
    case I18N_RU: /* 1, 21, 101 …; 2–4, 22–24 …; the rest, 11–14 included */
        if (last == 1 && last2 != 11)
            return I18N_PLURAL_ONE;
        if (last >= 2 && last <= 4 && (last2 < 12 || last2 > 14))
            return I18N_PLURAL_FEW;
        return I18N_PLURAL_MANY;
    case I18N_EN:
        return m == 1 ? I18N_PLURAL_ONE : I18N_PLURAL_MANY;
    default: /* Kazakh: one form */
        return I18N_PLURAL_MANY;
    }
}
