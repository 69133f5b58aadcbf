#include "mail/settings.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <string_view>

#include "load/yaml.h"
#include "validate/fields.h"

namespace cp::mail {

namespace fs = std::filesystem;

fs::path settings_path(const char* env_value, const char* home) {
  if (env_value && *env_value) return fs::path(env_value);
  if (home && *home) return fs::path(home) / ".config" / "coursepack" / "smtp.yaml";
  return {};
}

namespace {

std::string host_of(const std::string& url) {
  const auto scheme_end = url.find("://");
  std::string rest = scheme_end == std::string::npos ? url : url.substr(scheme_end + 3);
  if (const auto at = rest.rfind('@', rest.find('/')); at != std::string::npos) rest = rest.substr(at + 1);
  if (!rest.empty() && rest[0] == '[') {
    const auto close = rest.find(']');
    return close == std::string::npos ? rest : rest.substr(1, close - 1);
  }
  return rest.substr(0, rest.find_first_of(":/"));
}

std::optional<double> number(const std::string& s) {
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

}  // namespace

bool is_loopback(const std::string& url) {
  const std::string host = host_of(url);
  if (host == "localhost" || host == "::1") return true;
  return host.rfind("127.", 0) == 0 && host.find_first_not_of("0123456789.") == std::string::npos;
}

std::optional<SmtpSettings> load_settings(const fs::path& file, Diagnostics& diags) {
  const std::string shown = file.string();
  struct stat st{};
  if (::stat(file.c_str(), &st) != 0) {
    diags.error({shown, 0, 0}, "cannot read the SMTP settings: no such file",
                "write url, user, password_env and from there (see `coursepack --help`), or name another file in "
                "COURSEPACK_SMTP");
    return std::nullopt;
  }
  if ((st.st_mode & 077) != 0) {
    diags.error({shown, 0, 0},
                fmt::format("the SMTP settings are open to others (mode {:04o}); refusing to use them",
                            st.st_mode & 07777),
                fmt::format("chmod 600 {}", shown));
    return std::nullopt;
  }
  const std::size_t errors_before = diags.error_count();
  auto doc = load::load_yaml_file(file, shown, diags);
  if (!doc) return std::nullopt;
  if (!doc->root->is_mapping()) {
    diags.error(doc->root->loc.known() ? doc->root->loc : SourceLoc{shown, 1, 1},
                "the SMTP settings must be a mapping (key: value lines)");
    return std::nullopt;
  }
  static constexpr std::array<std::string_view, 8> keys{"url",  "user",    "password_env", "from",
                                                        "rate", "ca_file", "retries",      "retry_seconds"};
  SmtpSettings s;
  s.file = shown;
  for (const auto& e : doc->root->entries) {
    const auto* v = e.value;
    if (std::find(keys.begin(), keys.end(), std::string_view(e.key)) == keys.end()) {
      diags.error(e.key_loc, fmt::format("unknown key '{}' in the SMTP settings", e.key),
                  validate::did_you_mean(e.key, std::span<const std::string_view>(keys)));
      continue;
    }
    if (!v->is_scalar()) {
      diags.error(v->loc, fmt::format("'{}' must be a single value", e.key));
      continue;
    }
    const std::string& val = v->scalar;
    if (e.key == "url") {
      if (val.rfind("smtp://", 0) != 0 && val.rfind("smtps://", 0) != 0)
        diags.error(v->loc, fmt::format("url '{}' is not smtp://HOST[:PORT] or smtps://HOST[:PORT]", val),
                    "smtp://host:587 uses STARTTLS; smtps://host:465 TLS from the start");
      else if (host_of(val).empty())
        diags.error(v->loc, fmt::format("url '{}' names no host", val));
      s.url = val;
    } else if (e.key == "user") {
      s.user = val;
    } else if (e.key == "password_env") {
      s.password_env = val;
    } else if (e.key == "from") {
      if (val.find('@') == std::string::npos || val.find_first_of(" <>\r\n") != std::string::npos)
        diags.error(v->loc, fmt::format("from '{}' is not an e-mail address", val));
      s.from = val;
    } else if (e.key == "rate") {
      const auto n = number(val);
      if (!n || *n <= 0) diags.error(v->loc, fmt::format("rate must be a number of messages per minute above 0, not '{}'", val));
      else s.rate = *n;
    } else if (e.key == "ca_file") {
      s.ca_file = val;
    } else if (e.key == "retries") {
      const auto n = number(val);
      if (!n || *n < 0 || *n > 20 || *n != std::floor(*n))
        diags.error(v->loc, fmt::format("retries must be a whole number from 0 to 20, not '{}'", val));
      else s.retries = static_cast<int>(*n);
    } else if (e.key == "retry_seconds") {
      const auto n = number(val);
      if (!n || *n < 0 || *n > 3600) diags.error(v->loc, fmt::format("retry_seconds must be 0 to 3600, not '{}'", val));
      else s.retry_seconds = *n;
    }
  }
  if (s.url.empty()) diags.error({shown, 1, 1}, "the SMTP settings have no url", "url: smtp://host:587");
  if (!s.user.empty() && s.password_env.empty())
    diags.error({shown, 1, 1}, "the SMTP settings name a user but no password_env",
                "password_env: the name of the environment variable that holds the password");
  if (diags.error_count() != errors_before) return std::nullopt;
  return s;
}

}  // namespace cp::mail
