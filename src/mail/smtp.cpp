#include "mail/smtp.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <cstdlib>
#include <cstring>
#include <mutex>

namespace cp::mail {

namespace {

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Upload {
  const std::string* bytes = nullptr;
  std::size_t offset = 0;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* up = static_cast<Upload*>(user);
  const std::size_t room = size * count;
  const std::size_t n = std::min(room, up->bytes->size() - up->offset);
  std::memcpy(buffer, up->bytes->data() + up->offset, n);
  up->offset += n;
  return n;
}

// What one transfer heard from the server, and whether the text went out.
struct Exchange {
  std::string last_reply;   // the last complete reply (its lines joined)
  std::string first_error;  // the first reply of 4xx or 5xx (later comes QUIT's 221)
  long first_error_code = 0;
  std::string current;      // lines of a multi-line reply so far
  bool data_sent = false;
};

// libcurl's trace: only the server's lines are kept. The client's lines
// are looked at for the DATA command alone and dropped (AUTH carries the
// password).
int trace(CURL*, curl_infotype type, char* data, std::size_t size, void* user) {
  auto* ex = static_cast<Exchange*>(user);
  const std::string_view text(data, size);
  if (type == CURLINFO_HEADER_OUT) {
    if (text.size() >= 4 && (text.substr(0, 4) == "DATA" || text.substr(0, 4) == "data")) ex->data_sent = true;
    return 0;
  }
  if (type != CURLINFO_HEADER_IN) return 0;
  std::string_view line = text;
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (!ex->current.empty()) ex->current += ' ';
  ex->current += line.size() > 4 ? line.substr(4) : std::string_view();
  // "250-..." continues a reply; "250 ..." ends it.
  if (line.size() < 4 || line[3] != '-') {
    const std::string code(line.substr(0, std::min<std::size_t>(3, line.size())));
    ex->last_reply = code + " " + ex->current;
    ex->current.clear();
    if (ex->first_error.empty() && (code[0] == '4' || code[0] == '5')) {
      ex->first_error = ex->last_reply;
      ex->first_error_code = std::atol(code.c_str());
    }
  }
  return 0;
}

class CurlTransport final : public Transport {
 public:
  CurlTransport(SmtpSettings settings, std::string password)
      : settings_(std::move(settings)), password_(std::move(password)) {
    global_init();
  }
  ~CurlTransport() override {
    if (curl_) curl_easy_cleanup(curl_);
    // The password's copy is overwritten before its memory is given back.
    std::fill(password_.begin(), password_.end(), '\0');
  }

  Delivery send(const std::string& envelope_from, const std::string& recipient, const std::string& message) override {
    if (!curl_) curl_ = curl_easy_init();
    Delivery d;
    if (!curl_) {
      d.outcome = Outcome::Fatal;
      d.reply = "cannot start libcurl";
      return d;
    }
    CURL* c = curl_;
    Upload up{&message, 0};
    Exchange ex;
    char error[CURL_ERROR_SIZE] = {};
    curl_slist* rcpt = curl_slist_append(nullptr, ("<" + recipient + ">").c_str());
    curl_easy_setopt(c, CURLOPT_URL, settings_.url.c_str());
    curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(is_loopback(settings_.url) ? CURLUSESSL_TRY : CURLUSESSL_ALL));
    if (!settings_.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, settings_.ca_file.c_str());
    if (!settings_.user.empty()) {
      curl_easy_setopt(c, CURLOPT_USERNAME, settings_.user.c_str());
      curl_easy_setopt(c, CURLOPT_PASSWORD, password_.c_str());
    }
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, ("<" + envelope_from + ">").c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_upload);
    curl_easy_setopt(c, CURLOPT_READDATA, &up);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
    curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);
    curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, trace);
    curl_easy_setopt(c, CURLOPT_DEBUGDATA, &ex);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
    // A stalled server: under 1 byte/s for 60 s ends the attempt.
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
    const CURLcode rc = curl_easy_perform(c);
    curl_slist_free_all(rcpt);
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, nullptr);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, nullptr);
    curl_easy_setopt(c, CURLOPT_DEBUGDATA, nullptr);
    curl_easy_setopt(c, CURLOPT_READDATA, nullptr);
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    d.code = code;
    d.data_sent = ex.data_sent;
    d.reply = ex.last_reply;
    if (rc == CURLE_OK) {
      d.outcome = Outcome::Sent;
      return d;
    }
    // A failed transfer may leave the connection mid-dialogue: start afresh.
    curl_easy_cleanup(curl_);
    curl_ = nullptr;
    const std::string what = error[0] ? std::string(error) : std::string(curl_easy_strerror(rc));
    if (!ex.first_error.empty()) {
      d.reply = ex.first_error;
      code = d.code = ex.first_error_code;
    }
    switch (rc) {
      case CURLE_LOGIN_DENIED:
      case CURLE_USE_SSL_FAILED:
      case CURLE_PEER_FAILED_VERIFICATION:
      case CURLE_SSL_CONNECT_ERROR:
      case CURLE_SSL_CACERT_BADFILE:
      case CURLE_SSL_CERTPROBLEM:
      case CURLE_UNSUPPORTED_PROTOCOL:
      case CURLE_URL_MALFORMAT:
      case CURLE_COULDNT_RESOLVE_HOST:
        d.outcome = Outcome::Fatal;
        if (d.reply.empty() || rc != CURLE_LOGIN_DENIED) d.reply = what + (d.reply.empty() ? "" : " (" + d.reply + ")");
        return d;
      default:
        break;
    }
    if (code >= 500 && code < 600) d.outcome = Outcome::Refused;
    else d.outcome = Outcome::Temporary;
    if (d.reply.empty() || code < 400) d.reply = what;
    return d;
  }

 private:
  SmtpSettings settings_;
  std::string password_;
  CURL* curl_ = nullptr;
};

}  // namespace

std::unique_ptr<Transport> smtp_transport(const SmtpSettings& settings, std::string password) {
  return std::make_unique<CurlTransport>(settings, std::move(password));
}

}  // namespace cp::mail
