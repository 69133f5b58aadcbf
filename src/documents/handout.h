// The handout: cover, contents, the course's modules tailored to one visit,
// a page about the municipality, the county's contact persons, and ruled
// pages for notes.
#pragma once

#include <vector>

#include "content/document.h"
#include "core/diagnostics.h"
#include "core/file_store.h"
#include "frame/frame.h"
#include "layout/hyphenate.h"
#include "layout/paragraph.h"
#include "model/model.h"

namespace cp::documents {

struct HandoutInput {
  const model::Programme* programme = nullptr;
  const model::Municipality* municipality = nullptr;
  const model::Visit* visit = nullptr;
  const model::Course* course = nullptr;
  std::vector<doc::Module> modules;  // tailored, in course order
  doc::Blocks municipality_notes;    // tailored notes of the municipality
  const layout::Hyphenator* hyphenator = nullptr;
  layout::ParagraphCache* paragraphs = nullptr;  // optional: shared by the handouts of a build
  files::FileStore* file_store = nullptr;        // optional: images are read through it
};

// The generated pages the handout adds after the modules (headings at
// level 1, like a module's): the visited municipality (contacts,
// resources, notes) and every municipality's contact persons.
doc::Blocks municipality_page(const HandoutInput& in);
doc::Blocks county_contacts(const HandoutInput& in);
// The handout's text as one tree: the modules in order, then those two
// pages (what handout.html is made from; needs no hyphenator).
doc::Blocks handout_blocks(const HandoutInput& in);

// Lays out the handout. Throws EnvironmentError when a font is missing.
layout::Document compose_handout(const HandoutInput& in, Diagnostics& diags);

}  // namespace cp::documents
