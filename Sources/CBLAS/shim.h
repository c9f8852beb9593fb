#ifndef REPORT_CBLAS_SHIM_H
#define REPORT_CBLAS_SHIM_H
// Debian's libopenblas-dev: the CBLAS interface plus OpenBLAS' own controls
// (openblas_set_num_threads, openblas_get_corename).
#include <cblas.h>
#endif
