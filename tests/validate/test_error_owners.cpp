// validate::error_owners, which `build --keep-going` leans on: an error in a
// visit's own inputs leaves that visit out, one in what every pack shares
// stops them all.
#include <catch2/catch.hpp>

#include "project_fixture.h"
#include "validate/validate.h"

using cp::testing::TempProject;

namespace {
constexpr const char* kEksjo = "materials/municipalities/eksjo.yaml";

struct Owners {
  bool everything = false;
  std::vector<std::string> visits;  // slug/key, sorted
  std::vector<int> unread;          // lines of visit entries not read
  std::size_t errors = 0;
};

Owners owners_of(const TempProject& p) {
  cp::Diagnostics diags;
  const auto programme = cp::validate::read_programme(p.root(), diags);
  REQUIRE(programme);
  const auto o = cp::validate::error_owners(*programme, diags.all());
  Owners out{o.everything, {}, {}, diags.error_count()};
  for (const auto& m : programme->municipalities)
    for (const auto& v : m.visits)
      if (o.visits.count(&v)) out.visits.push_back(m.slug + "/" + v.key());
  for (const auto& at : o.unread_visits) out.unread.push_back(at.line);
  return out;
}

using Keys = std::vector<std::string>;
}  // namespace

TEST_CASE("an error in a visit's entry is that visit's alone") {
  TempProject p;
  p.replace(kEksjo, "    venue: Stadshuset", "    venu: Stadshuset");
  const auto o = owners_of(p);
  CHECK(o.errors == 1);
  CHECK_FALSE(o.everything);
  CHECK(o.visits == Keys{"eksjo/2023-03-14-grund"});
}

TEST_CASE("an error in a participants file is the visit's that reads it") {
  TempProject p;
  p.write("materials/participants/eksjo-2023-06-13.csv", "vem;titel\nCecilia Berg;Socialsekreterare\n");
  const auto o = owners_of(p);
  CHECK(o.errors >= 1);
  CHECK_FALSE(o.everything);
  CHECK(o.visits == Keys{"eksjo/2023-06-13-grund"});
}

TEST_CASE("an error in a module is every visit's whose course lists it") {
  TempProject p;
  p.replace("materials/modules/02-lag.md", "{{visit.venue}}", "{{visit.venu}}");
  const auto o = owners_of(p);
  CHECK_FALSE(o.everything);
  CHECK(o.visits == Keys{"aneby/2023-09-14-grund", "eksjo/2023-03-14-grund", "eksjo/2023-06-13-grund"});
}

TEST_CASE("a municipality's own keys are its visits'; its name and contacts are everyone's") {
  TempProject p;
  p.replace(kEksjo, "code: \"0686\"\n", "code: \"686\"\n");
  auto o = owners_of(p);
  CHECK_FALSE(o.everything);
  CHECK(o.visits == Keys{"eksjo/2023-03-14-grund", "eksjo/2023-06-13-grund"});

  TempProject q;
  q.replace(kEksjo, "code: \"0686\"\n", "code: \"0686\"\ncontacts:\n  - name: Åsa Engström\n    rol: Enhetschef\n");
  CHECK(owners_of(q).everything);
}

TEST_CASE("project.yaml, layouts and an unreadable municipality file stop everything") {
  TempProject p;
  p.replace("materials/project.yaml", "signatories:\n", "signatores:\n");
  CHECK(owners_of(p).everything);

  TempProject q;
  q.replace("layouts/handout.yaml", "body_size: 10.5\n", "bodysize: 10.5\n");
  CHECK(owners_of(q).everything);

  TempProject r;
  r.replace(kEksjo, "name: Eksjö kommun\n", "name: Eksjö kommun: Småland\n");
  CHECK(owners_of(r).everything);
}

TEST_CASE("a visit entry that cannot be read is named by its line and stops no other visit") {
  TempProject p;
  p.replace(kEksjo, "  - date: 2023-06-13\n", "  - 2023-06-13\n  - date: 2023-06-13\n");
  const auto o = owners_of(p);
  CHECK_FALSE(o.everything);
  CHECK(o.visits.empty());
  CHECK(o.unread == std::vector<int>{17});
}
