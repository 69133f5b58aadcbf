#include "app/outcome.h"

#include <catch2/catch.hpp>

using namespace cp::app;

TEST_CASE("an outcome says where and what, and which exit status it means") {
  const Outcome ok;
  CHECK(ok.ok());
  CHECK(ok.exit_status() == kExitOk);

  const auto input = Outcome::input("print.pdf", "a part is missing");
  CHECK_FALSE(input.ok());
  CHECK(input.kind == Outcome::Kind::Input);
  CHECK(input.text() == "print.pdf: a part is missing");
  CHECK(input.exit_status() == kExitInput);

  const auto env = Outcome::environment({}, "font family 'Noto Sans' is not installed");
  CHECK(env.kind == Outcome::Kind::Environment);
  CHECK(env.text() == "font family 'Noto Sans' is not installed");
  CHECK(env.exit_status() == kExitEnvironment);
}
