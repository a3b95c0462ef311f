// The doctest runner; every test lives in tests/unit/ and tests/cli/.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
