// The checks of single values (validate/participant_values.h): what an
// e-mail address needs, and the words for attendance.
#include "validate/participant_values.h"

#include <catch2/catch.hpp>

TEST_CASE("email_problem: what an address needs") {
  using cp::validate::email_problem;
  CHECK_FALSE(email_problem("anna.svensson@eksjo.se"));
  CHECK_FALSE(email_problem("a+b@sub.example.co.uk"));
  CHECK(email_problem("a;b@eksjo.se") == "write one address per participant, without commas or semicolons");
  CHECK(email_problem("anna@.eksjo.se"));
  CHECK(email_problem("anna@eksjo.se."));
  CHECK(email_problem("anna@"));
}

TEST_CASE("participants: attendance words") {
  using cp::validate::parse_attendance;
  for (const char* yes : {"ja", "Ja", "JA", "j", "x", "X", "✓", "1", "true", "TRUE", "sant", "yes", "närvarande",
                          "Närvarande", " ja "})
    CHECK(parse_attendance(yes) == true);
  for (const char* no : {"nej", "NEJ", "n", "0", "false", "FALSKT", "no", "frånvarande", "ej"})
    CHECK(parse_attendance(no) == false);
  for (const char* other : {"", "kanske", "-", "?", "2"}) CHECK_FALSE(parse_attendance(other).has_value());
}
