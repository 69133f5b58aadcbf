// A person's mapping, as project.yaml's coordinator and a municipality's
// contacts write it.
#include "validate/fields.h"
#include "validate/readers.h"

namespace cp::validate {

model::Person read_person(const YamlNode& node, std::string_view position_key, Diagnostics& diags) {
  const std::string_view keys[] = {"name", position_key, "email", "phone"};
  const Fields f(node, keys, diags);
  model::Person p;
  f.text("name", p.name);
  f.text(position_key, p.title);
  f.text("email", p.email);
  f.text("phone", p.phone);
  return p;
}

}  // namespace cp::validate
