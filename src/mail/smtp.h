// Delivering one message to one recipient over SMTP (libcurl). STARTTLS is
// required on smtp:// (smtps:// is TLS from the start) unless the server is
// on a loopback address; AUTH when the settings name a user. The server's
// replies are kept to report; nothing the client sends is (AUTH carries
// the password).
#pragma once

#include <memory>
#include <string>

#include "mail/settings.h"

namespace cp::mail {

enum class Outcome {
  Sent,       // 2xx after the message's end: the server took it
  Refused,    // 5xx: this recipient or message will not be accepted
  Temporary,  // 4xx, a dropped or failed connection: worth trying again
  Fatal,      // nothing will get through (TLS, authentication): stop the run
};

struct Delivery {
  Outcome outcome = Outcome::Temporary;
  long code = 0;       // the server's last reply code, 0 when none came
  std::string reply;   // the server's last reply line(s), or what went wrong
  bool data_sent = false;  // the message's text went out: it may have arrived
};

class Transport {
 public:
  virtual ~Transport() = default;
  virtual Delivery send(const std::string& envelope_from, const std::string& recipient, const std::string& message) = 0;
};

// The SMTP client: one connection kept open between messages and opened
// again after a failure. `password` is empty without AUTH.
std::unique_ptr<Transport> smtp_transport(const SmtpSettings& settings, std::string password);

}  // namespace cp::mail
