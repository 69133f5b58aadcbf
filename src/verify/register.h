// Every certificate ever issued, county-wide: the private record
// (out/.register.json) that keeps a certificate known after its
// participant left the data, and out/register.csv for the coordinator.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/model.h"

namespace cp::verify {

enum class Status {
  Valid,    // the visit is held and the participant attended
  Planned,  // issued for a visit not yet held
  Revoked,  // no longer issued: removed from the visit, absent, name corrected, visit gone
};

std::string_view status_word(Status s);  // valid | planned | revoked
std::string_view status_swedish(Status s);  // giltigt | planerat | återkallat

struct Issued {
  std::string code;
  std::string name;
  std::string slug, visit;  // the pack: <slug>/<date>-<course>
  std::string municipality, course, date;  // as printed: "Eksjö kommun", the course title, ISO date
  Status status = Status::Valid;
  std::string email;  // as the participant list had it when issued; may be empty
  std::string file;   // the certificate's PDF inside the pack, e.g. certificates/01-asa-berg.pdf
};

// A visit whose certificates' personal data was erased after the retention
// period (coursepack purge): what is left of them is a count per status.
struct Erased {
  std::string slug, visit;
  std::string municipality, course, date;
  int valid = 0, planned = 0, revoked = 0;
  std::string erased_on;  // ISO date
};

struct Register {
  std::vector<Issued> entries;  // sorted by slug, visit, name, code
  std::vector<Erased> erased;   // sorted by slug, visit
};

// Replaces the entries of the pack slug/visit by one anonymous count
// (added to an earlier count of the same visit). False when it had none.
bool erase_visit(Register& r, const std::string& slug, const std::string& visit, const std::string& erased_on);

// The private record's JSON; nullopt (and `error`) when it does not parse.
std::optional<Register> parse_register(std::string_view json, std::string& error);
std::string register_json(const Register& r);

// `previous` brought up to date with the certificates the data issues now,
// for the visits where `in_scope(slug, visit)` holds: each current
// certificate is valid (held visit) or planned; an earlier one of such a
// visit that is no longer issued is revoked. With `full`, a visit that is no
// longer in the data counts as in scope when `in_scope` also holds for it
// (its certificates are revoked; a held visit's kept pack is left out).
Register update_register(const Register& previous, const model::Programme& programme,
                         const std::function<bool(const std::string&, const std::string&)>& in_scope, bool full);

// A table as Excel in a Swedish locale opens it: UTF-8 with a BOM, `;`
// between fields, CRLF line ends, fields with `;`, a quote or a line break
// quoted; a cell Excel would read as a formula is kept as text.
std::string excel_csv(const std::vector<std::vector<std::string>>& rows);

// register.csv (excel_csv): a header row, then one row per entry with the
// municipality, date, course, name, e-mail, code, pack, file in the pack
// and status.
std::string register_csv(const Register& r);

// A pack's certificates.csv (excel_csv): the same columns as register.csv
// but the pack, for the certificates a visit issues now.
std::string pack_certificates_csv(const std::vector<Issued>& issued);

}  // namespace cp::verify
