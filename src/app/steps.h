/* steps.h - the steps that cross modules, given to every module through app->steps. */
#ifndef COEXIST_STEPS_H
#define COEXIST_STEPS_H

#include "app.h"

extern const struct app_steps app_steps;

#endif
