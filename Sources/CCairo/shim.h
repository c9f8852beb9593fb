#ifndef REPORT_CCAIRO_SHIM_H
#define REPORT_CCAIRO_SHIM_H
#include <cairo.h>
#include <cairo-svg.h>
#endif
