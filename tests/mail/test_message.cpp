#include "mail/message.h"

#include <catch2/catch.hpp>

#include "support/temp_dir.h"

using namespace cp;

namespace {

std::filesystem::path project_with_template(const std::string& text) {
  const auto root = test::make_temp_dir("coursepack-mail");
  std::filesystem::create_directories(root / "materials" / "mail");
  test::write_file(root / mail::kTemplatePath, text);
  return root;
}

std::vector<std::string> lines(const Diagnostics& d) {
  std::vector<std::string> out;
  for (const auto& x : d.all()) out.push_back(format_diagnostic(x));
  return out;
}

}  // namespace

TEST_CASE("the template's front matter and placeholders are checked", "[message]") {
  SECTION("a good template") {
    const auto root = project_with_template("---\nsubject: \"Intyg {{course.title}}\"\n---\nHej {{participant.name}}!\n");
    Diagnostics d;
    const auto t = mail::load_template(root, nullptr, "pandoc", d);
    REQUIRE(t);
    CHECK(t->subject == "Intyg {{course.title}}");
    CHECK(lines(d).empty());
  }
  SECTION("no subject, an unknown key, an unknown placeholder") {
    const auto root = project_with_template("---\nsubjekt: x\n---\nHej {{participant.nam}}!\n");
    Diagnostics d;
    CHECK_FALSE(mail::load_template(root, nullptr, "pandoc", d));
    const auto l = lines(d);
    REQUIRE(l.size() == 3);
    CHECK(l[0] == "materials/mail/certificate.md:2:1: error: unknown key 'subjekt' in the mail template's front "
                  "matter\n  hint: did you mean 'subject'?");
    CHECK(l[1] == "materials/mail/certificate.md:1:1: error: the mail template's front matter has no 'subject'");
    CHECK(l[2].rfind("materials/mail/certificate.md:4:5: error: unknown placeholder '{{participant.nam}}'", 0) == 0);
  }
  SECTION("no front matter") {
    const auto root = project_with_template("Hej!\n");
    Diagnostics d;
    CHECK_FALSE(mail::load_template(root, nullptr, "pandoc", d));
    CHECK(lines(d) == std::vector<std::string>{"materials/mail/certificate.md:1:1: error: the mail template has no "
                                               "front matter\n  hint: start it with ---, subject: ..., ---"});
  }
}

TEST_CASE("Message-IDs: the same visit, participant and delivery give the same ID", "[message]") {
  const auto a = mail::message_id("eksjo", "2023-03-14-grundutbildning", "ABCDE-FGHJK", 0, "rjl.se");
  CHECK(a == mail::message_id("eksjo", "2023-03-14-grundutbildning", "ABCDE-FGHJK", 0, "rjl.se"));
  CHECK(a != mail::message_id("eksjo", "2023-03-14-grundutbildning", "ABCDE-FGHJM", 0, "rjl.se"));
  CHECK(a != mail::message_id("eksjo", "2023-03-14-grundutbildning", "ABCDE-FGHJK", 1, "rjl.se"));
  CHECK(a.front() == '<');
  CHECK(a.substr(a.size() - 10) == ".0@rjl.se>");
}

TEST_CASE("placeholders are filled, HTML-escaped in the HTML part", "[message]") {
  model::Project project;
  project.title = "SPoM";
  model::Participant p;
  p.name = "Anna <Berg> & co";
  p.email = "anna@x.se";
  model::PlaceholderContext ctx{&project, nullptr, nullptr, nullptr, &p, 0, 0};
  mail::MailTemplate t{"Intyg {{project.title}} för {{participant.name}}", "Hej {{participant.name}}, kod {{participant.code}}\n",
                       "<p>Hej {{participant.name}}</p>\n"};
  const auto m = mail::compose(t, ctx, "ABCDE-FGHJK", {"Annika", "a@rjl.se", "Annika", "a@rjl.se"}, "%PDF", "<id@x>", 0);
  CHECK(m.subject == "Intyg SPoM för Anna <Berg> & co");
  CHECK(m.text == "Hej Anna <Berg> & co, kod ABCDE-FGHJK\n");
  CHECK(m.html.find("<p>Hej Anna &lt;Berg&gt; &amp; co</p>") != std::string::npos);
  CHECK(m.to_address == "anna@x.se");
  CHECK(m.attachment.file_name == "Kursintyg Anna <Berg> & co.pdf");
}
