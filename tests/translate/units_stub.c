/*
** tests/translate/units_stub.c
** Stand-in for vm/uexpr.c's two lookups, so the translator can be tested
** (and fuzzed) alone. Knows a fixed list of units and currencies.
*/
#include <stddef.h>
#include <string.h>

int unit_name_known(const char *name, size_t len);
int unit_is_currency(const char *name, size_t len);

static int in_list(const char *const *list, const char *name, size_t len) {
  for (; *list; list++)
    if (strlen(*list) == len && memcmp(*list, name, len) == 0) return 1;
  return 0;
}

int unit_name_known(const char *name, size_t len) {
  static const char *const units[] = {
    "GW", "MW", "kW", "W", "TWh", "GWh", "MWh", "kWh", "Wh", "h", "s", "yr",
    "month", "d", "min", "GiB", "TiB", "GB", "TB", "B", "PFLOP", "EFLOP",
    "TFLOP", "FLOP", "chip", "rack", "token", "$", "USD", "EUR", "GBP", "CNY",
    "JPY", "%", "m", NULL
  };
  return in_list(units, name, len);
}

int unit_is_currency(const char *name, size_t len) {
  static const char *const codes[] = {"USD", "EUR", "GBP", "CNY", "JPY", NULL};
  return in_list(codes, name, len);
}
