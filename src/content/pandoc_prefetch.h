// Many texts read in one Pandoc run and kept in a PandocCache as if each
// had had its own run.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "content/pandoc.h"
#include "content/process.h"

namespace cp::content {

// Texts (modules, municipalities' notes) read in one Pandoc run and kept in
// the cache as if each had had its own; parse_module and
// parse_markdown_string then find them there. Pandoc's Markdown reader
// takes about 50 ms to start, far longer than it takes to read a module.
// A Lua filter (`--lua-filter`, written into the cache) reads
// each text with pandoc.read and Pandoc's own reader options, its tabs
// expanded beforehand as the command line does (expand_tabs_as_pandoc), so
// each is read on its own, exactly as `pandoc -f markdown -t json` reads it:
//
//   pandoc -f json -t json --sandbox --lua-filter read-texts-….lua -o /dev/null
//     stdin: one CodeBlock per text   stdout: per text "cptext <n>" and its JSON
//
// Texts already cached are left out. Nothing is kept when the cache has no
// store, the run warns or fails (a Pandoc older than 2.17 lacks
// pandoc.write), or its output cannot be cut back into the texts: each
// text then has its own run, with its own diagnostics.
void prefetch_texts(const std::vector<std::string_view>& texts, ProcessRunner& runner, PandocCache& cache);

// A text as Pandoc's command line hands it to its Markdown reader, which
// pandoc.read does not do: every tab becomes spaces up to the next multiple
// of 4 characters (code points) in its line, and a text that does not end
// in a line break gets one.
std::string expand_tabs_as_pandoc(std::string_view text);

// The arguments of that run (argv[0] = options.program).
std::vector<std::string> prefetch_arguments(const PandocOptions& options, const std::string& filter);

}  // namespace cp::content
