#include "mail/send_log.h"

#include <catch2/catch.hpp>

using namespace cp::mail;

namespace {

std::string record(const std::string& event, const std::string& key, const std::string& cert = "c1",
                   const std::string& id = "<x.0@rjl.se>") {
  LogRecord r;
  r.event = event;
  r.key = key;
  r.to = key;
  r.code = "ABCDE-FGHJK";
  r.message_id = id;
  r.certificate = cert;
  r.reply = event == "sent" ? "250 ok" : "";
  r.time = 1;
  return to_json_line(r) + "\n";
}

}  // namespace

TEST_CASE("the log says who was sent, who is in flight, and what was sent", "[send_log]") {
  const std::string log = record("sending", "a@x.se") + record("sent", "a@x.se") + record("sending", "b@x.se") +
                          record("sending", "c@x.se") + record("refused", "c@x.se");
  const auto s = read_send_log(log);
  REQUIRE(s.size() == 3);
  CHECK(s.at("a@x.se").sent);
  CHECK_FALSE(s.at("a@x.se").in_flight);
  CHECK(s.at("a@x.se").deliveries == 1);
  CHECK(s.at("a@x.se").sent_certificate == "c1");
  CHECK_FALSE(s.at("b@x.se").sent);
  CHECK(s.at("b@x.se").in_flight);
  CHECK(s.at("b@x.se").in_flight_message_id == "<x.0@rjl.se>");
  CHECK_FALSE(s.at("c@x.se").sent);
  CHECK_FALSE(s.at("c@x.se").in_flight);
}

TEST_CASE("a line cut short by a crash is skipped", "[send_log]") {
  std::string log = record("sending", "a@x.se") + record("sent", "a@x.se");
  log += record("sending", "b@x.se").substr(0, 20);
  const auto s = read_send_log(log);
  CHECK(s.size() == 1);
  CHECK(s.at("a@x.se").sent);
}

TEST_CASE("a resend counts deliveries and keeps the last certificate", "[send_log]") {
  const std::string log = record("sending", "a@x.se") + record("sent", "a@x.se", "c1") +
                          record("sending", "a@x.se", "c2", "<x.1@rjl.se>") +
                          record("sent", "a@x.se", "c2", "<x.1@rjl.se>");
  const auto s = read_send_log(log).at("a@x.se");
  CHECK(s.deliveries == 2);
  CHECK(s.sent_certificate == "c2");
  CHECK(s.sent_message_id == "<x.1@rjl.se>");
}

TEST_CASE("recipients are their address, told apart by code when shared", "[send_log]") {
  CHECK(recipient_key(" Asa@Eksjo.SE ", "ABCDE-FGHJK", false) == "asa@eksjo.se");
  CHECK(recipient_key("unit@eksjo.se", "ABCDE-FGHJK", true) == "unit@eksjo.se ABCDE-FGHJK");
}

TEST_CASE("a record is one line of JSON without the password's field", "[send_log]") {
  const std::string line = record("sent", "a@x.se");
  CHECK(line.find('\n') == line.size() - 1);
  CHECK(line.rfind("{\"event\":\"sent\",\"key\":\"a@x.se\"", 0) == 0);
  CHECK(line.find("password") == std::string::npos);
}
