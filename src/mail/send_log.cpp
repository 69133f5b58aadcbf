#include "mail/send_log.h"

#include "core/json.h"
#include "core/text.h"

namespace cp::mail {

std::string to_json_line(const LogRecord& r) {
  nlohmann::ordered_json j;
  j["event"] = r.event;
  j["key"] = r.key;
  j["to"] = r.to;
  j["code"] = r.code;
  j["message_id"] = r.message_id;
  j["certificate"] = r.certificate;
  if (!r.reply.empty()) j["reply"] = r.reply;
  j["time"] = r.time;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::map<std::string, RecipientState> read_send_log(std::string_view bytes) {
  std::map<std::string, RecipientState> states;
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    std::size_t eol = bytes.find('\n', pos);
    if (eol == std::string_view::npos) eol = bytes.size();
    const std::string_view line = bytes.substr(pos, eol - pos);
    pos = eol + 1;
    const auto j = cp::json::parse(line);
    if (j.is_discarded() || !j.is_object()) continue;
    auto str = [&j](const char* k) {
      const auto it = j.find(k);
      return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    const std::string event = str("event"), key = str("key");
    if (key.empty()) continue;
    RecipientState& s = states[key];
    s.last_event = event;
    if (event == "sending") {
      s.in_flight = true;
      s.in_flight_message_id = str("message_id");
      s.in_flight_certificate = str("certificate");
    } else if (event == "sent") {
      s.in_flight = false;
      s.sent = true;
      ++s.deliveries;
      s.sent_certificate = str("certificate");
      s.sent_message_id = str("message_id");
    } else if (event == "refused" || event == "failed") {
      s.in_flight = false;
    }
  }
  return states;
}

std::string recipient_key(std::string_view email, const std::string& code, bool shared_address) {
  std::string key = text::to_lower(std::string(text::trim(email)));
  if (shared_address) key += " " + code;
  return key;
}

}  // namespace cp::mail
