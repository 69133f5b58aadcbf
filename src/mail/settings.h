// SMTP settings: a YAML file outside the repository (COURSEPACK_SMTP, or
// ~/.config/coursepack/smtp.yaml), readable by its owner only. It names the
// environment variable that holds the password; the password itself is
// never in the file, the output or the send log.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "core/diagnostics.h"

namespace cp::mail {

struct SmtpSettings {
  std::string url;           // smtp://host:587 (STARTTLS) or smtps://host:465
  std::string user;          // empty = no AUTH
  std::string password_env;  // the variable holding the password (with user)
  std::string from;          // envelope and From address; empty = the coordinator's
  double rate = 20;          // messages per minute
  std::string ca_file;       // a CA certificate to trust besides the system's (a local relay's own)
  int retries = 3;           // further attempts after a temporary failure
  double retry_seconds = 5;  // wait before the first retry; doubled for each next one
  std::string file;          // where the settings were read from
};

// The settings file's path: `env_value` (COURSEPACK_SMTP) when set, else
// HOME/.config/coursepack/smtp.yaml; empty when neither is known.
std::filesystem::path settings_path(const char* env_value, const char* home);

// Reads and checks the file: the keys above only (unknown ones are errors
// with a did-you-mean), url with scheme smtp or smtps, rate > 0, and the
// file neither readable nor writable by group or others. Errors go to
// `diags` at their place in the file.
std::optional<SmtpSettings> load_settings(const std::filesystem::path& file, Diagnostics& diags);

// True when the URL's host is a loopback address (127.0.0.0/8, ::1,
// localhost): the only hosts mail may go to without TLS.
bool is_loopback(const std::string& url);

}  // namespace cp::mail
