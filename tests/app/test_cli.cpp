#include "app/cli.h"

#include <catch2/catch.hpp>

using namespace cp::app;

TEST_CASE("parse_args refuses empty --root, --out and --only") {
  for (const char* option : {"--root", "--out"}) {
    std::string error;
    CHECK_FALSE(parse_args({"build", option, ""}, error));
    CHECK(error == std::string("option ") + option + " needs a value, not an empty string");
    error.clear();
    CHECK_FALSE(parse_args({"build", std::string(option) + "="}, error));
    CHECK(error == std::string("option ") + option + " needs a value, not an empty string");
  }
  // --only says what it takes.
  for (const std::vector<std::string>& args : {std::vector<std::string>{"build", "--only", ""},
                                               std::vector<std::string>{"build", "--only="},
                                               std::vector<std::string>{"build", "--only", "  "}}) {
    std::string error;
    CHECK_FALSE(parse_args(args, error));
    CHECK(error == "--only needs a municipality (its name or slug), SLUG/DATE or SLUG/DATE-COURSE");
  }
}

TEST_CASE("parse_args: --verify") {
  std::string error;
  const auto o = parse_args({"build", "--verify"}, error);
  REQUIRE(o);
  CHECK(o->verify);
  CHECK_FALSE(parse_args({"build"}, error)->verify);
}

TEST_CASE("parse_args: purge and its --dry-run") {
  std::string error;
  const auto o = parse_args({"purge", "--dry-run", "--out", "x"}, error);
  REQUIRE(o);
  CHECK(o->command == Command::Purge);
  CHECK(o->dry_run);
  CHECK_FALSE(parse_args({"purge", "--only", "eksjo"}, error));
  CHECK(error == "purge takes --root, --out, --dry-run and --quiet only");
  CHECK_FALSE(parse_args({"build", "--dry-run"}, error));
  CHECK(error == "--dry-run is an option of 'send' and 'purge' only");
  CHECK_FALSE(parse_args({"build", "--resend", "all"}, error));
  CHECK(error == "--resend is an option of 'send' only");
}

TEST_CASE("parse_source_date_epoch: 0 is an epoch, garbage is not") {
  CHECK(parse_source_date_epoch("0") == 0);
  CHECK(parse_source_date_epoch("1680000000") == 1680000000);
  CHECK(parse_source_date_epoch("253402300799") == 253402300799LL);
  for (const char* bad : {"", "abc", "-1", "1.5", " 1", "1 ", "253402300800", "99999999999999999999"})
    CHECK_FALSE(parse_source_date_epoch(bad));
}
