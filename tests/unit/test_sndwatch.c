/* sndwatch on a folder of this test's own (standing in for /dev/snd):
 * playback devices appearing and going are told, capture devices and
 * control files are not, a folder that comes later is watched from then
 * on, and stopping ends the thread. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sndwatch.h"
#include "support.h"

typedef struct {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int added, removed;
    char last[64];
} seen;

static void told(void *user, bool added, const char *name)
{
    seen *s = user;
    pthread_mutex_lock(&s->lock);
    if (added)
        s->added++;
    else
        s->removed++;
    snprintf(s->last, sizeof s->last, "%s", name);
    pthread_cond_broadcast(&s->cond);
    pthread_mutex_unlock(&s->lock);
}

/* Waits up to 2 s until *count reaches want; returns it. */
static int wait_for(seen *s, const int *count, int want)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 2;
    pthread_mutex_lock(&s->lock);
    while (*count < want && pthread_cond_timedwait(&s->cond, &s->lock, &until) == 0)
        ;
    int n = *count;
    pthread_mutex_unlock(&s->lock);
    return n;
}

static void touch(const char *dir, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fclose(f);
}

static void names_of_outputs(void **state)
{
    (void)state;
    assert_true(sndwatch_is_output("pcmC0D0p"));
    assert_true(sndwatch_is_output("pcmC12D3p"));
    assert_false(sndwatch_is_output("pcmC0D0c")); /* a microphone */
    assert_false(sndwatch_is_output("controlC0"));
    assert_false(sndwatch_is_output("pcmC0D0px"));
    assert_false(sndwatch_is_output("timer"));
    assert_false(sndwatch_is_output("pcmC+1D0p"));
    unsigned card = 99, dev = 99;
    assert_int_equal(sndwatch_output_numbers("pcmC12D3p", &card, &dev), 0);
    assert_int_equal(card, 12);
    assert_int_equal(dev, 3);
    assert_int_equal(sndwatch_output_numbers("pcmC1D0c", &card, &dev), -1);
}

/* Writes text to root/card<card>/id, as /proc/asound shows a card's id. */
static void card_id(const char *root, unsigned card, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/card%u", root, card);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/card%u/id", root, card);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* A playback device file names the ALSA PCM speech plays to: by the
 * card's id while its proc entry can be read and is a plain word, else by
 * the card's number. */
static void alsa_names_of_outputs(void **state)
{
    (void)state;
    char proc[256], name[64];
    assert_non_null(support_tempdir(proc, sizeof proc, "asound"));
    card_id(proc, 1, "Headset\n");
    card_id(proc, 2, "bad,id\n");
    card_id(proc, 3, "");
    sndwatch_alsa_name(proc, 1, 0, name, sizeof name);
    assert_string_equal(name, "plughw:CARD=Headset,DEV=0");
    sndwatch_alsa_name(proc, 2, 1, name, sizeof name); /* a comma would split ALSA's arguments */
    assert_string_equal(name, "plughw:2,1");
    sndwatch_alsa_name(proc, 3, 0, name, sizeof name);
    assert_string_equal(name, "plughw:3,0");
    sndwatch_alsa_name(proc, 4, 0, name, sizeof name); /* no proc entry (yet) */
    assert_string_equal(name, "plughw:4,0");
    sndwatch_alsa_name("/proc/asound", 97, 2, name, sizeof name);
    assert_string_equal(name, "plughw:97,2");
    support_rmtree(proc);
}

static void outputs_come_and_go(void **state)
{
    (void)state;
    char root[256], dir[300];
    assert_non_null(support_tempdir(root, sizeof root, "sndwatch"));
    snprintf(dir, sizeof dir, "%s/snd", root);
    seen s = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, ""};
    char err[256] = "";
    /* no sound card yet: the folder does not exist */
    sndwatch *w = sndwatch_start(dir, told, &s, err, sizeof err);
    if (!w)
        fail_msg("sndwatch_start: %s", err);
    assert_int_equal(mkdir(dir, 0755), 0);
    touch(dir, "controlC1");
    touch(dir, "pcmC1D0c");
    touch(dir, "pcmC1D0p");
    assert_true(wait_for(&s, &s.added, 1) >= 1);
    assert_string_equal(s.last, "pcmC1D0p");
    /* the folder's arrival and the file's may both tell of it, never of others */
    usleep(100 * 1000);
    assert_true(s.added <= 2);
    assert_int_equal(s.removed, 0);
    int before = s.added;
    /* a second card's output */
    touch(dir, "pcmC2D0p");
    assert_int_equal(wait_for(&s, &s.added, before + 1), before + 1);
    assert_string_equal(s.last, "pcmC2D0p");
    char path[512];
    snprintf(path, sizeof path, "%s/pcmC2D0p", dir);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(wait_for(&s, &s.removed, 1), 1);
    assert_string_equal(s.last, "pcmC2D0p");
    /* a microphone going is not an output going */
    snprintf(path, sizeof path, "%s/pcmC1D0c", dir);
    assert_int_equal(unlink(path), 0);
    usleep(100 * 1000);
    assert_int_equal(s.removed, 1);
    sndwatch_stop(w);
    /* stopped: nothing is told any more */
    touch(dir, "pcmC3D0p");
    usleep(100 * 1000);
    assert_int_equal(s.added, before + 1);
    support_rmtree(root);
}

static void a_parent_that_cannot_be_watched_is_an_error(void **state)
{
    (void)state;
    seen s = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, ""};
    char err[256] = "";
    assert_null(sndwatch_start("/nonexistent-ip/really/snd", told, &s, err, sizeof err));
    assert_non_null(strstr(err, "/nonexistent-ip/really"));
    sndwatch_stop(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_of_outputs),
        cmocka_unit_test(alsa_names_of_outputs),
        cmocka_unit_test(outputs_come_and_go),
        cmocka_unit_test(a_parent_that_cannot_be_watched_is_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
