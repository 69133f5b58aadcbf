#include "app/send.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <map>
#include <thread>

#include "app/build.h"
#include "content/process.h"
#include "core/files.h"
#include "core/sha256.h"
#include "core/text.h"
#include "documents/certificate.h"
#include "documents/verification.h"
#include "mail/message.h"
#include "mail/send_log.h"
#include "mail/settings.h"
#include "mail/smtp.h"
#include "pack/lock.h"
#include "pack/pack.h"
#include "validate/validate.h"

namespace cp::app {

namespace fs = std::filesystem;

namespace {

bool selected(const std::string& only, const model::Municipality& m, const model::Visit& v) {
  if (only.empty()) return true;
  const auto slash = only.find('/');
  if (slash == std::string::npos) return only == m.slug;
  return only.substr(0, slash) == m.slug && only.substr(slash + 1) == v.key();
}

std::string domain_of(const std::string& address) {
  const auto at = address.rfind('@');
  return at == std::string::npos ? std::string() : address.substr(at + 1);
}

bool resend_matches(const std::string& resend, const model::Participant& p, const std::string& code) {
  if (resend.empty()) return false;
  if (resend == "all") return true;
  const std::string want = text::to_lower(std::string(text::trim(resend)));
  return want == text::to_lower(std::string(text::trim(p.name))) ||
         want == text::to_lower(std::string(text::trim(p.email))) || want == text::to_lower(code);
}

struct Totals {
  std::size_t sent = 0, would_send = 0, skipped = 0, refused = 0, failed = 0, rebuilt = 0, no_address = 0,
              not_built = 0, duplicates = 0;
  std::vector<std::string> without_address;  // "Name (slug/visit, certificates/NN-name.pdf)"
};

// Waits so that messages leave at most `rate` per minute.
class Pacer {
 public:
  explicit Pacer(double per_minute) : gap_(std::chrono::duration<double>(60.0 / per_minute)) {}
  void wait() {
    const auto now = std::chrono::steady_clock::now();
    if (started_ && now < next_) std::this_thread::sleep_until(next_);
    started_ = true;
    next_ = std::max(now, next_) + std::chrono::duration_cast<std::chrono::steady_clock::duration>(gap_);
  }

 private:
  std::chrono::duration<double> gap_;
  std::chrono::steady_clock::time_point next_{};
  bool started_ = false;
};

}  // namespace

int run_send(const Options& o, const Environment& env) {
  Diagnostics diags;
  const fs::path root = fs::absolute(o.root);
  const auto programme = validate::load_programme(root, diags);
  if (!programme) {
    diags.print(std::cerr);
    std::cerr << fmt::format("coursepack: {} error(s); nothing sent\n", diags.error_count());
    return kExitInput;
  }
  struct Job {
    const model::Municipality* m;
    const model::Visit* v;
  };
  std::vector<Job> jobs;
  for (const auto& m : programme->municipalities)
    for (const auto& v : m.visits)
      if (selected(o.only, m, v)) jobs.push_back({&m, &v});
  if (!o.only.empty() && jobs.empty()) {
    std::cerr << fmt::format("coursepack: error: --only '{}' matches no municipality or visit\n", o.only);
    return kExitUsage;
  }
  const fs::path out = o.out.empty() ? root / "out" : fs::absolute(o.out);

  content::SystemProcessRunner runner(std::getenv("PATH") ? std::getenv("PATH") : "");
  const auto tpl = mail::load_template(root, &runner, env.pandoc, diags);
  if (!tpl) {
    diags.print(std::cerr);
    std::cerr << fmt::format("coursepack: {} error(s); nothing sent\n", diags.error_count());
    return kExitInput;
  }

  // The settings: required to send; for a dry run only their sender, when
  // the file is there.
  std::optional<mail::SmtpSettings> settings;
  std::error_code ec;
  if (!o.dry_run || (!env.smtp_settings.empty() && fs::exists(env.smtp_settings, ec))) {
    if (env.smtp_settings.empty()) {
      std::cerr << "coursepack: error: no SMTP settings: set COURSEPACK_SMTP to their file, or HOME\n";
      return kExitEnvironment;
    }
    Diagnostics sdiags;
    settings = mail::load_settings(env.smtp_settings, sdiags);
    if (!settings) {
      sdiags.print(std::cerr);
      std::cerr << "coursepack: the SMTP settings are not usable; nothing sent\n";
      return kExitEnvironment;
    }
  }
  std::string password;
  if (settings && !o.dry_run && !settings->user.empty()) {
    const auto value = env.variable ? env.variable(settings->password_env) : std::nullopt;
    if (!value || value->empty()) {
      std::cerr << fmt::format(
          "coursepack: error: the environment variable {} (password_env in {}) is not set; nothing sent\n",
          settings->password_env, settings->file);
      return kExitEnvironment;
    }
    password = *value;
  }

  // Sending and building must not overlap: a rebuild swaps the packs.
  pack::OutLock lock;
  if (auto err = pack::lock_out_dir(out, lock); !err.empty()) {
    std::cerr << "coursepack: error: " << err << "\n";
    return kExitEnvironment;
  }

  const auto& coordinator = programme->project.coordinator;
  mail::Sender sender;
  sender.address = settings && !settings->from.empty() ? settings->from : coordinator.email;
  sender.name = coordinator.name;
  sender.reply_name = coordinator.name;
  sender.reply_address = coordinator.email;
  if (sender.address.empty()) {
    std::cerr << "coursepack: error: no sender address: give the coordinator an email in materials/project.yaml, "
                 "or 'from' in the SMTP settings\n";
    return kExitInput;
  }
  const long long date = env.source_date_epoch.value_or(env.now);
  std::unique_ptr<mail::Transport> transport;
  if (!o.dry_run) transport = mail::smtp_transport(*settings, std::move(password));
  std::optional<Pacer> pacer;
  if (settings) pacer.emplace(settings->rate);

  Totals t;
  PackHasher hasher(*programme);
  bool fatal = false;
  bool resend_matched = false;
  std::string fatal_reason;
  for (const auto& job : jobs) {
    const auto& m = *job.m;
    const auto& v = *job.v;
    const std::string visit = m.slug + "/" + v.key();
    if (v.status != model::VisitStatus::Held) {
      if (!o.quiet)
        std::cout << (v.status == model::VisitStatus::Cancelled
                          ? fmt::format("{}: cancelled, nothing sent\n", visit)
                          : fmt::format("{}: planned, nothing sent (certificates go out once the visit is held)\n", visit));
      continue;
    }
    const auto& course = programme->courses.at(v.course);
    const auto entries = documents::certificate_entries(*programme, m, v, course);
    if (const std::string status = pack_status(hasher, m, v, out); status == "purged") {
      if (!o.quiet)
        std::cout << fmt::format("{}: past the retention period, its personal data purged; nothing sent\n", visit);
      continue;
    } else if (status != "built") {
      std::cerr << fmt::format("coursepack: error: {}: the pack is {}; run 'coursepack build' first\n", visit, status);
      t.not_built += entries.size();
      continue;
    }
    std::map<std::string, int> per_address;
    for (const auto& e : entries)
      if (!text::trim(e.participant->email).empty())
        ++per_address[text::to_lower(std::string(text::trim(e.participant->email)))];
    const auto log = files::read_file(pack::send_log_path(out, m.slug, v.key()), 256u * 1024u * 1024u);
    const auto states = mail::read_send_log(log.status == files::ReadStatus::Ok ? log.bytes : std::string());
    for (std::size_t i = 0; i < entries.size(); ++i) {
      const auto& p = *entries[i].participant;
      const std::string& code = entries[i].code;
      const std::string stem = documents::participant_slug(i + 1, p.name);
      const std::string file = "certificates/" + stem + ".pdf";
      const std::string email(text::trim(p.email));
      if (email.empty()) {
        ++t.no_address;
        t.without_address.push_back(fmt::format("{} ({}, {})", p.name, visit, file));
        continue;
      }
      if (fatal) {
        ++t.failed;
        continue;
      }
      const auto pdf = files::read_file(out / m.slug / v.key() / file, 64u * 1024u * 1024u);
      if (pdf.status != files::ReadStatus::Ok) {
        std::cerr << fmt::format("coursepack: error: {}: cannot read {}: {}\n", visit, file, pdf.message);
        ++t.failed;
        continue;
      }
      // What the certificate says, not its bytes (a PDF's font subset
      // changes with the other names of the visit).
      const std::string certificate = sha256_hex(fmt::format(
          "{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}", code, p.name, p.title, p.unit, course.title, course.hours,
          v.date.iso(), m.name, programme->project.title));
      const bool shared = per_address[text::to_lower(email)] > 1;
      const std::string key = mail::recipient_key(email, code, shared);
      const auto it = states.find(key);
      const mail::RecipientState state = it != states.end() ? it->second : mail::RecipientState{};
      const bool resend = resend_matches(o.resend, p, code);
      resend_matched = resend_matched || resend;
      if (state.sent && !state.in_flight && !resend) {
        if (state.sent_certificate == certificate) {
          ++t.skipped;
        } else {
          ++t.rebuilt;
          std::cout << fmt::format(
              "rebuilt  {} <{}> ({}): the certificate changed after it was sent; not sent again without --resend\n",
              p.name, email, visit);
        }
        continue;
      }
      const bool maybe_duplicate = state.in_flight;
      const std::string id = mail::message_id(m.slug, v.key(), code, state.deliveries, domain_of(sender.address));
      model::PlaceholderContext ctx{&programme->project, &course, &m, &v, &p, 0, 0};
      const std::string bytes = mail::render_message(mail::compose(*tpl, ctx, code, sender, pdf.bytes, id, date));
      if (o.dry_run) {
        const std::string eml = "mail/" + stem + ".eml";
        if (auto e = pack::write_into_pack(out, m.slug, v.key(), eml, bytes); !e.empty()) {
          std::cerr << "coursepack: error: " << e << "\n";
          return kExitEnvironment;
        }
        ++t.would_send;
        if (!o.quiet)
          std::cout << fmt::format("would send  {} <{}>  {}  {}{}\n", p.name, email, file,
                                   fs::relative(out / m.slug / v.key() / eml, out).string(),
                                   state.sent ? "  (again: --resend)" : "");
        continue;
      }
      mail::LogRecord rec;
      rec.key = key;
      rec.to = email;
      rec.code = code;
      rec.message_id = id;
      rec.certificate = certificate;
      pacer->wait();
      rec.event = "sending";
      rec.time = static_cast<long long>(std::time(nullptr));
      if (auto e = pack::append_send_log(out, m.slug, v.key(), mail::to_json_line(rec)); !e.empty()) {
        std::cerr << "coursepack: error: send log: " << e << "\n";
        return kExitEnvironment;
      }
      mail::Delivery d;
      // A failed attempt after the text went out may still have arrived.
      bool earlier_text_out = false;
      for (int attempt = 0;; ++attempt) {
        d = transport->send(sender.address, email, bytes);
        if (d.outcome != mail::Outcome::Temporary || attempt >= settings->retries) break;
        earlier_text_out = earlier_text_out || d.data_sent;
        const double wait = settings->retry_seconds * std::pow(2.0, attempt);
        std::cout << fmt::format("retry    {} <{}>: {} (again in {:g} s)\n", p.name, email, d.reply, wait);
        std::this_thread::sleep_for(std::chrono::duration<double>(wait));
      }
      rec.reply = d.reply;
      rec.time = static_cast<long long>(std::time(nullptr));
      rec.event = d.outcome == mail::Outcome::Sent ? "sent" : d.outcome == mail::Outcome::Refused ? "refused" : "failed";
      if (auto e = pack::append_send_log(out, m.slug, v.key(), mail::to_json_line(rec)); !e.empty()) {
        std::cerr << "coursepack: error: send log: " << e << "\n";
        return kExitEnvironment;
      }
      const bool duplicate = maybe_duplicate || (earlier_text_out && d.outcome == mail::Outcome::Sent);
      switch (d.outcome) {
        case mail::Outcome::Sent:
          ++t.sent;
          if (!o.quiet) std::cout << fmt::format("sent     {} <{}> ({}): {}\n", p.name, email, visit, d.reply);
          break;
        case mail::Outcome::Refused:
          ++t.refused;
          std::cout << fmt::format("refused  {} <{}> ({}): {}\n", p.name, email, visit, d.reply);
          break;
        case mail::Outcome::Temporary:
          ++t.failed;
          std::cout << fmt::format("failed   {} <{}> ({}): {} (gave up after {} attempts)\n", p.name, email, visit,
                                   d.reply, settings->retries + 1);
          break;
        case mail::Outcome::Fatal:
          ++t.failed;
          fatal = true;
          fatal_reason = d.reply;
          break;
      }
      if (duplicate) {
        ++t.duplicates;
        std::cout << fmt::format(
            "possibly duplicated  {} <{}> ({}): {} while this message was being sent; sent again with the same "
            "Message-ID {}\n",
            p.name, email, visit, maybe_duplicate ? "an earlier run ended" : "the connection failed", id);
      }
    }
  }
  if (fatal) std::cerr << fmt::format("coursepack: error: sending stopped: {}\n", fatal_reason);
  if (!o.resend.empty() && !resend_matched && !fatal)
    std::cerr << fmt::format("coursepack: warning: --resend '{}' matches no participant with an address "
                             "(give a name, an e-mail address or a verification code, or 'all')\n",
                             o.resend);
  if (!t.without_address.empty()) {
    std::cout << "no e-mail address (print these certificates):\n";
    for (const auto& line : t.without_address) std::cout << "  " << line << "\n";
  }
  if (o.dry_run)
    std::cout << fmt::format("dry run: {} would be sent, {} skipped (already sent), {} rebuilt after sending, {} no address\n",
                             t.would_send, t.skipped, t.rebuilt, t.no_address);
  else
    std::cout << fmt::format(
        "{} sent, {} skipped (already sent), {} refused, {} failed, {} rebuilt after sending (not resent), {} no "
        "address{}\n",
        t.sent, t.skipped, t.refused, t.failed, t.rebuilt, t.no_address,
        t.duplicates ? fmt::format(", {} possibly duplicated", t.duplicates) : std::string());
  if (fatal) return kExitEnvironment;
  if (t.refused || t.failed || t.rebuilt || t.not_built) return kExitInput;
  return kExitOk;
}

}  // namespace cp::app
