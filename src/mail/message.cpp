#include "mail/message.h"

#include <fmt/format.h>

#include <array>

#include "content/convert.h"
#include "core/sha256.h"
#include "core/text.h"
#include "load/source.h"
#include "load/yaml.h"
#include "validate/fields.h"
#include "validate/templates.h"

namespace cp::mail {

namespace fs = std::filesystem;

namespace {

bool is_fence(std::string_view line, std::string_view marker) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
  return line == marker;
}

// Line and column (1-based, columns in characters) of a byte offset.
SourceLoc locate(const std::string& path, std::string_view text, std::size_t offset) {
  int line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i)
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  int col = 1;
  for (std::size_t i = line_start; i < offset && i < text.size(); ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++col;
  return {path, line, col};
}


std::string fill(std::string_view text, const model::PlaceholderContext& ctx, const std::string& code, bool html) {
  std::string out;
  std::size_t last = 0;
  for (const auto& use : model::find_placeholders(text)) {
    out.append(text.substr(last, use.offset - last));
    std::optional<std::string> v =
        use.name == "participant.code" ? std::optional<std::string>(code) : model::placeholder_value(use.name, ctx);
    if (v) out += html ? text::html_escape(*v) : *v;
    else out.append(text.substr(use.offset, use.length));
    last = use.offset + use.length;
  }
  out.append(text.substr(last));
  return out;
}

}  // namespace

std::optional<MailTemplate> load_template(const fs::path& root, content::ProcessRunner* runner,
                                          const std::string& pandoc, Diagnostics& diags) {
  const std::string path = kTemplatePath;
  const std::size_t errors_before = diags.error_count();
  const auto text = load::read_text_file(root / path, path, diags);
  if (!text) return std::nullopt;
  const std::string_view all(*text);
  // Front matter: a first line `---`, YAML, a line `---` or `...`.
  std::size_t eol = all.find('\n');
  if (eol == std::string_view::npos || !is_fence(all.substr(0, eol), "---")) {
    diags.error({path, 1, 1}, "the mail template has no front matter", "start it with ---, subject: ..., ---");
    return std::nullopt;
  }
  const std::size_t yaml_start = eol + 1;
  std::size_t body_start = std::string_view::npos, yaml_end = 0;
  for (std::size_t pos = yaml_start; pos < all.size(); pos = eol + 1) {
    eol = all.find('\n', pos);
    if (eol == std::string_view::npos) eol = all.size();
    if (is_fence(all.substr(pos, eol - pos), "---") || is_fence(all.substr(pos, eol - pos), "...")) {
      yaml_end = pos;
      body_start = std::min(eol + 1, all.size());
      break;
    }
  }
  if (body_start == std::string_view::npos) {
    diags.error({path, 1, 1}, "front matter has no closing '---'");
    return std::nullopt;
  }
  MailTemplate tpl;
  SourceLoc subject_loc{path, 1, 1};
  const auto doc = load::parse_yaml(all.substr(yaml_start, yaml_end - yaml_start), path, diags, 2);
  if (!doc) return std::nullopt;
  if (!doc->root->is_mapping()) {
    diags.error(doc->root->loc.known() ? doc->root->loc : SourceLoc{path, 2, 1},
                "front matter must be a mapping (key: value lines)");
    return std::nullopt;
  }
  static constexpr std::array<std::string_view, 1> kKeys{"subject"};
  bool have_subject = false;
  for (const auto& e : doc->root->entries) {
    if (e.key != "subject") {
      diags.error(e.key_loc, fmt::format("unknown key '{}' in the mail template's front matter", e.key),
                  validate::did_you_mean(e.key, std::span<const std::string_view>(kKeys)));
      continue;
    }
    if (!e.value->is_scalar() || e.value->scalar.empty()) {
      diags.error(e.value->loc.known() ? e.value->loc : e.key_loc, "subject must be one line of text");
      continue;
    }
    tpl.subject = e.value->scalar;
    if (tpl.subject.find_first_of("\r\n") != std::string::npos)
      diags.error(e.value->loc, "subject must be one line of text");
    subject_loc = e.value->loc;
    have_subject = true;
  }
  if (!have_subject) diags.error({path, 1, 1}, "the mail template's front matter has no 'subject'");
  // Placeholders: the subject's are reported at the subject's value, the
  // body's where they are written.
  validate::PlaceholderScope scope;
  scope.participant = true;
  validate::check_placeholders(tpl.subject, scope, [&](std::size_t) { return subject_loc; }, diags);
  const std::string body(all.substr(body_start));
  validate::check_placeholders(body, scope, [&](std::size_t off) { return locate(path, all, body_start + off); },
                               diags);
  if (diags.error_count() != errors_before) return std::nullopt;
  if (runner) {
    std::string error;
    tpl.html = content::convert_markdown(body, content::TextFormat::Html, *runner, pandoc, error);
    if (error.empty()) tpl.text = content::convert_markdown(body, content::TextFormat::Plain, *runner, pandoc, error);
    if (!error.empty()) {
      diags.error({path, 0, 0}, "cannot convert the mail template: " + error);
      return std::nullopt;
    }
  }
  return tpl;
}

std::string message_id(const std::string& slug, const std::string& visit_key, const std::string& code, int delivery,
                       const std::string& domain) {
  const std::string h = sha256_hex("coursepack mail v1\x1f" + slug + '\x1f' + visit_key + '\x1f' + code + '\x1f' +
                                   std::to_string(delivery));
  return fmt::format("<{}.{}@{}>", h.substr(0, 32), delivery, domain.empty() ? "coursepack.invalid" : domain);
}

std::string attachment_name(const std::string& participant_name) {
  // Only what a file system and a mail program accept in a name.
  std::string name;
  for (char c : participant_name) name += (c == '/' || c == '\\' || c == '"' || static_cast<unsigned char>(c) < 0x20) ? ' ' : c;
  return "Kursintyg " + std::string(text::trim(name)) + ".pdf";
}

Message compose(const MailTemplate& tpl, const model::PlaceholderContext& ctx, const std::string& code,
                const Sender& sender, const std::string& pdf, const std::string& id, long long date) {
  Message m;
  m.from_name = sender.name;
  m.from_address = sender.address;
  m.reply_to_name = sender.reply_name;
  m.reply_to_address = sender.reply_address;
  m.to_name = ctx.participant ? ctx.participant->name : std::string();
  m.to_address = ctx.participant ? std::string(text::trim(ctx.participant->email)) : std::string();
  m.subject = fill(tpl.subject, ctx, code, false);
  m.text = fill(tpl.text, ctx, code, false);
  const std::string body = fill(tpl.html, ctx, code, true);
  m.html = "<!DOCTYPE html>\n<html lang=\"sv\">\n<head>\n<meta charset=\"utf-8\">\n<title>" +
           text::html_escape(m.subject) + "</title>\n</head>\n<body>\n" + body + "</body>\n</html>\n";
  m.message_id = id;
  m.date = date;
  m.attachment.file_name = attachment_name(ctx.participant ? ctx.participant->name : std::string());
  m.attachment.bytes = pdf;
  return m;
}

}  // namespace cp::mail
