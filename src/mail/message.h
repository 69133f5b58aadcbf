// The certificate e-mail: materials/mail/certificate.md (front matter
// `subject:`, a Markdown body with the modules' placeholders and the
// participant's) made into one message per participant.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "content/process.h"
#include "core/diagnostics.h"
#include "mail/mime.h"
#include "model/placeholders.h"

namespace cp::mail {

inline constexpr const char* kTemplatePath = "materials/mail/certificate.md";

// The template with its body converted once (placeholders still in it).
struct MailTemplate {
  std::string subject;  // with placeholders
  std::string text;     // Pandoc's plain text of the body
  std::string html;     // Pandoc's HTML of the body
};

// Checks the template (front matter with `subject` and nothing unknown,
// placeholders known, participant.* allowed); reports at its place in the
// file. The body is converted with `pandoc` through `runner` when
// `runner` is given; without one only checked. nullopt on any error.
std::optional<MailTemplate> load_template(const std::filesystem::path& root, content::ProcessRunner* runner,
                                          const std::string& pandoc, Diagnostics& diags);

// The Message-ID of a certificate's e-mail: the same visit, participant and
// delivery number (0 for the first, 1 for the first resend, …) always give
// the same ID. `domain` is the sender address's domain.
std::string message_id(const std::string& slug, const std::string& visit_key, const std::string& code,
                       int delivery, const std::string& domain);

// The attachment's file name a reader sees: "Kursintyg Åsa Åberg.pdf".
std::string attachment_name(const std::string& participant_name);

struct Sender {
  std::string name, address;            // From
  std::string reply_name, reply_address;  // Reply-To (the coordinator)
};

// One participant's message: placeholders filled (HTML-escaped in the HTML
// part), `{{participant.code}}` with `code`, the PDF attached.
Message compose(const MailTemplate& tpl, const model::PlaceholderContext& ctx, const std::string& code,
                const Sender& sender, const std::string& pdf, const std::string& id, long long date);

}  // namespace cp::mail
