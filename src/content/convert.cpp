#include "content/convert.h"

namespace cp::content {

std::string convert_markdown(std::string_view markdown, TextFormat to, ProcessRunner& runner,
                             const std::string& program, std::string& error) {
  ProcessRequest req;
  req.argv = {program, "-f", "markdown-raw_html-raw_tex", "-t", to == TextFormat::Html ? "html5" : "plain",
              "--sandbox", "--wrap=none"};
  req.stdin_bytes = std::string(markdown);
  req.max_output = 4u * 1024u * 1024u;
  const ProcessResult r = runner.run(req);
  if (!r.ok()) {
    error = describe(r, program);
    return {};
  }
  return r.out;
}

}  // namespace cp::content
