#include "documents/typeset.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

using cp::documents::shrink_to_fit;

TEST_CASE("shrink_to_fit tries sizes largest first down to the floor and stops at the first that fits",
          "[documents][typeset]") {
  std::vector<double> tried;
  std::vector<bool> last;
  const auto size = shrink_to_fit(10, 8, 0.5, [&](double s, bool l) {
    tried.push_back(s);
    last.push_back(l);
    return s <= 9;
  });
  REQUIRE(size);
  CHECK(*size == 9);
  CHECK(tried == std::vector<double>{10, 9.5, 9});
  CHECK(last == std::vector<bool>{false, false, false});

  tried.clear();
  last.clear();
  CHECK_FALSE(shrink_to_fit(10, 8, 0.5, [&](double s, bool l) {
    tried.push_back(s);
    last.push_back(l);
    return false;
  }));
  CHECK(tried == std::vector<double>{10, 9.5, 9, 8.5, 8});  // the floor itself is tried
  CHECK(last.back());
  CHECK(std::count(last.begin(), last.end(), true) == 1);
  // A start below the floor is still tried, once.
  int calls = 0;
  CHECK_FALSE(shrink_to_fit(5, 8, 0.5, [&](double, bool l) {
    ++calls;
    CHECK(l);
    return false;
  }));
  CHECK(calls == 1);
}

TEST_CASE("shrink_to_fit with diagnostics reports only the accepted try's, and accepts the smallest",
          "[documents][typeset]") {
  cp::Diagnostics diags;
  const double size = shrink_to_fit(10, 9, 0.5, diags, [&](double s, cp::Diagnostics& d, bool) {
    d.warning({}, "at " + std::to_string(static_cast<int>(s * 10)));
    return s <= 9.5;
  });
  CHECK(size == 9.5);
  REQUIRE(diags.all().size() == 1);
  CHECK(diags.all().front().message == "at 95");

  cp::Diagnostics none_fit;
  const double smallest = shrink_to_fit(10, 9, 0.5, none_fit, [&](double s, cp::Diagnostics& d, bool last) {
    d.warning({}, last ? "last" : "trial " + std::to_string(s));
    return false;
  });
  CHECK(smallest == 9);
  REQUIRE(none_fit.all().size() == 1);
  CHECK(none_fit.all().front().message == "last");
}
