#include "mail/settings.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "support/temp_dir.h"

using namespace cp;

namespace {

std::filesystem::path settings_file(const std::string& text, unsigned mode = 0600) {
  const auto dir = test::make_temp_dir("coursepack-smtp");
  const auto path = dir / "smtp.yaml";
  test::write_file(path, text);
  ::chmod(path.c_str(), mode);
  return path;
}

std::vector<std::string> lines(const Diagnostics& d) {
  std::vector<std::string> out;
  for (const auto& x : d.all()) out.push_back(format_diagnostic(x));
  return out;
}

}  // namespace

TEST_CASE("the settings file: COURSEPACK_SMTP, else ~/.config/coursepack/smtp.yaml", "[settings]") {
  CHECK(mail::settings_path("/etc/x.yaml", "/home/a") == "/etc/x.yaml");
  CHECK(mail::settings_path(nullptr, "/home/a") == "/home/a/.config/coursepack/smtp.yaml");
  CHECK(mail::settings_path("", "/home/a") == "/home/a/.config/coursepack/smtp.yaml");
  CHECK(mail::settings_path(nullptr, nullptr).empty());
}

TEST_CASE("settings are read with their defaults", "[settings]") {
  const auto path = settings_file("url: smtps://mail.rjl.se:465\nuser: kursintyg\npassword_env: SMTP_PW\n");
  Diagnostics d;
  const auto s = mail::load_settings(path, d);
  REQUIRE(s);
  CHECK(s->url == "smtps://mail.rjl.se:465");
  CHECK(s->user == "kursintyg");
  CHECK(s->password_env == "SMTP_PW");
  CHECK(s->from.empty());
  CHECK(s->rate == 20);
  CHECK(s->retries == 3);
}

TEST_CASE("settings open to others are refused", "[settings]") {
  for (unsigned mode : {0644u, 0640u, 0604u, 0660u}) {
    const auto path = settings_file("url: smtp://mail.rjl.se:587\n", mode);
    Diagnostics d;
    CHECK_FALSE(mail::load_settings(path, d));
    REQUIRE(lines(d).size() == 1);
    CHECK(lines(d)[0] == fmt::format("{}:1:1: error: the SMTP settings are open to others (mode {:04o}); refusing "
                                     "to use them\n  hint: chmod 600 {}",
                                     path.string(), mode, path.string()));
  }
}

TEST_CASE("bad settings are reported where they are written", "[settings]") {
  const auto path = settings_file("url: http://mail.rjl.se\nusr: x\nrate: 0\nuser: a\n");
  Diagnostics d;
  CHECK_FALSE(mail::load_settings(path, d));
  const auto l = lines(d);
  CAPTURE(l);
  REQUIRE(l.size() == 4);
  CHECK(l[0] == path.string() + ":1:6: error: url 'http://mail.rjl.se' is not smtp://HOST[:PORT] or "
                                "smtps://HOST[:PORT]\n  hint: smtp://host:587 uses STARTTLS; smtps://host:465 TLS "
                                "from the start");
  CHECK(l[1] == path.string() + ":2:1: error: unknown key 'usr' in the SMTP settings\n  hint: did you mean 'user'?");
  CHECK(l[2] == path.string() + ":3:7: error: rate must be a number of messages per minute above 0, not '0'");
  CHECK(l[3] == path.string() + ":1:1: error: the SMTP settings name a user but no password_env\n  hint: password_env: "
                                "the name of the environment variable that holds the password");
}

TEST_CASE("only loopback hosts may be reached without TLS", "[settings]") {
  CHECK(mail::is_loopback("smtp://127.0.0.1:2525"));
  CHECK(mail::is_loopback("smtp://127.10.0.1"));
  CHECK(mail::is_loopback("smtp://localhost:25"));
  CHECK(mail::is_loopback("smtp://[::1]:25"));
  CHECK_FALSE(mail::is_loopback("smtp://127.0.0.1.evil.se:25"));
  CHECK_FALSE(mail::is_loopback("smtp://mail.rjl.se:587"));
  CHECK_FALSE(mail::is_loopback("smtp://user@10.0.0.1:25"));
}
