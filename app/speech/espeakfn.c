#include "espeakfn.h"

#include "dynlib.h"

#define SYM(member) DYNLIB_SYM(espeakfn, member, "espeak_" #member)
static const dynlib_sym syms[] = {
    SYM(Initialize), SYM(SetSynthCallback), SYM(SetParameter), SYM(SetVoiceByName), SYM(Synth),
};
#undef SYM

static espeakfn table;
static dynlib lib = DYNLIB_INIT(ESPEAKFN_SONAME, syms, &table);

const espeakfn *espeakfn_load(char *err, size_t errcap)
{
    return dynlib_load(&lib, err, errcap) < 0 ? NULL : &table;
}
