#ifndef BOXOFFICE_CCURL_SHIM_H
#define BOXOFFICE_CCURL_SHIM_H
#include <curl/curl.h>
#endif
