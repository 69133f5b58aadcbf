// materials/project.yaml: the programme, its organiser and signatories.
#include "validate/readers.h"

#include <fmt/format.h>

#include "validate/fields.h"

namespace cp::validate {

namespace {

std::optional<model::Signatory> read_signatory(const Context& ctx, const YamlNode& node) {
  static constexpr std::string_view kKeys[] = {"name", "title", "signature"};
  if (!expect_entry_mapping(node, "signatory", ctx.diags)) return std::nullopt;
  const Fields f(node, kKeys, ctx.diags);
  model::Signatory s;
  f.text("name", s.name);
  f.text("title", s.title);
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

}  // namespace

model::Project read_project(const Context& ctx) {
  static constexpr std::string_view kKeys[] = {"title",       "organisation", "partners",   "coordinator",
                                               "signatories", "language",     "verify_url", "privacy_notice"};
  model::Project p;
  const auto file = ctx.materials / "project.yaml";
  p.loc = {ctx.display(file), 1, 1};
  const auto doc = load_mapping_file(ctx, file);
  if (!doc) return p;
  const Fields f(*doc->root, kKeys, ctx.diags);
  p.loc = doc->root->loc;
  f.require_text("title", p.title);
  f.require_text("organisation", p.organisation);
  f.text_list("partners", p.partners);
  if (const YamlNode* c = f.mapping("coordinator")) p.coordinator = read_person(*c, "title", ctx.diags);
  if (const YamlNode* list = f.list("signatories"))
    for (const YamlNode* item : list->items)
      if (auto s = read_signatory(ctx, *item)) p.signatories.push_back(std::move(*s));
  f.text("language", p.language);
  read_verify_url(f, p);
  f.text("privacy_notice", p.privacy_notice);
  return p;
}

}  // namespace cp::validate
