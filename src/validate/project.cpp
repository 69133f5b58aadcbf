// materials/project.yaml: the programme, its organiser and signatories.
#include "validate/readers.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/text.h"

#include "validate/fields.h"
#include "validate/validate.h"

namespace cp::validate {

namespace {

std::optional<model::Signatory> read_signatory(const Context& ctx, const YamlNode& node) {
  static constexpr std::string_view kKeys[] = {"name", "title", "signature"};
  if (!expect_entry_mapping(node, "signatory", ctx.diags)) return std::nullopt;
  const Fields f(node, kKeys, ctx.diags);
  model::Signatory s;
  f.text("name", s.name, kMaxSignatoryTextLength);
  f.text("title", s.title, kMaxSignatoryTextLength);
  if (const YamlNode* sig = f.get("signature"))
    if (const auto file = resolve_image(ctx, *sig, "signature", Folder::Materials)) s.signature = file->string();
  return s;
}

void read_verify_url(const Fields& f, model::Project& p) {
  if (!f.text("verify_url", p.verify_url) || p.verify_url.find("{code}") != std::string::npos) return;
  f.diags().error(f.get("verify_url")->loc, "'verify_url' must contain {code}",
                  "{code} is replaced by each certificate's verification code");
  p.verify_url.clear();
}

// `retention: 2 years`, `18 months` (or in Swedish: `2 år`, `18 månader`).
void read_retention(const Fields& f, model::Project& p) {
  std::string written;
  if (!f.text("retention", written)) return;
  const YamlNode& node = *f.get("retention");
  static constexpr std::pair<std::string_view, int> kUnits[] = {{"year", 12},  {"years", 12},   {"år", 12},
                                                                {"month", 1},  {"months", 1},   {"månad", 1},
                                                                {"månader", 1}};
  const std::string_view text = text::trim(written);
  const auto space = text.find(' ');
  const std::string_view number = text.substr(0, space);
  const std::string_view unit = space == std::string_view::npos ? std::string_view{} : text::trim(text.substr(space));
  const bool digits = !number.empty() && number.size() <= 4 &&
                      std::all_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; });
  int per = 0;
  for (const auto& [word, months] : kUnits)
    if (unit == word) per = months;
  const std::string hint = "write a whole number of years or months, e.g. 'retention: 2 years' or 'retention: 18 months'";
  if (!digits || per == 0) {
    f.diags().error(node.loc, fmt::format("retention '{}' is not a period", written),
                    digits && unit.empty() ? fmt::format("give the unit: '{} years' or '{} months'", number, number)
                                           : hint);
    return;
  }
  const int months = std::stoi(std::string(number)) * per;
  if (months == 0) {
    f.diags().error(node.loc, "retention must be at least one month", hint);
    return;
  }
  if (months > 100 * 12) {
    f.diags().error(node.loc, fmt::format("retention '{}' is longer than 100 years", written), hint);
    return;
  }
  p.retention = model::Retention{months, std::string(text), node.loc};
}

}  // namespace

model::Project read_project(const Context& ctx) {
  static constexpr std::string_view kKeys[] = {"title",       "organisation", "partners",   "coordinator",
                                               "signatories", "language",     "verify_url", "privacy_notice",
                                               "retention"};
  model::Project p;
  const auto file = ctx.materials / "project.yaml";
  p.loc = {ctx.display(file), 1, 1};
  const auto doc = load_mapping_file(ctx, file, kMaxSettingsFileBytes);
  if (!doc) return p;
  const Fields f(*doc->root, kKeys, ctx.diags);
  p.loc = doc->root->loc;
  f.require_text("title", p.title);
  f.require_text("organisation", p.organisation);
  f.text_list("partners", p.partners);
  if (const YamlNode* c = f.mapping("coordinator")) p.coordinator = read_person(*c, "title", ctx.diags);
  if (const YamlNode* list = f.list("signatories")) {
    for (const YamlNode* item : list->items)
      if (auto s = read_signatory(ctx, *item)) p.signatories.push_back(std::move(*s));
    if (list->items.size() > kMaxSignatories)
      ctx.diags.error(list->loc,
                      fmt::format("'signatories' has too many entries ({}; the limit is {})", list->items.size(),
                                  kMaxSignatories),
                      "a certificate has room for the signatures of at most four people");
  }
  f.text("language", p.language);
  read_verify_url(f, p);
  f.text("privacy_notice", p.privacy_notice, kMaxPrivacyNoticeLength);
  read_retention(f, p);
  return p;
}

}  // namespace cp::validate
