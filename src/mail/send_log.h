// The send log's records and what they say about each recipient. One JSON
// object per line, appended: "sending" before the message's text goes to
// the server, then "sent" (with the server's reply), "refused" or
// "failed". A "sending" with nothing after it is a message that was in
// flight when the run ended: it may have arrived.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace cp::mail {

struct LogRecord {
  std::string event;        // sending | sent | refused | failed
  std::string key;          // the recipient within the visit (see recipient_key)
  std::string to;           // the address
  std::string code;         // the certificate's verification code
  std::string message_id;
  std::string certificate;  // SHA-256 of what the certificate says (name, code, course, date, …)
  std::string reply;        // the server's words (sent, refused, failed)
  long long time = 0;
};

std::string to_json_line(const LogRecord& r);

// Where a recipient stands after every record of the log.
struct RecipientState {
  bool sent = false;              // at least one delivery completed
  std::string sent_certificate;   // the certificate's hash at the last completed delivery
  std::string sent_message_id;
  int deliveries = 0;             // completed deliveries
  bool in_flight = false;         // the last record is a "sending"
  std::string in_flight_message_id;
  std::string in_flight_certificate;
  std::string last_event;
};

// Reads a whole log; lines that do not parse (a line cut short by a
// crash) are skipped.
std::map<std::string, RecipientState> read_send_log(std::string_view bytes);

// The key a recipient is known by in the log: the address, lower case,
// so a corrected name is the same recipient; with `code` appended when
// the visit has several participants with that address.
std::string recipient_key(std::string_view email, const std::string& code, bool shared_address);

}  // namespace cp::mail
