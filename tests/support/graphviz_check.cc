#include "graphviz_check.h"

#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdio>

#include "temp_dir.h"

namespace retort::test {

std::string dot_to_svg(const std::string& dot_text) {
  TempDir dir;
  write_text(dir / "graph.dot", dot_text);
  std::string cmd = "dot -Tsvg '" + (dir / "graph.dot") + "' 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string out;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, pipe)) > 0;)
    out.append(buf, n);
  int status = pclose(pipe);
  INFO("dot on:\n" << dot_text << "\nsaid: " << out);
  REQUIRE(WIFEXITED(status));
  // 127: no dot; the test must not pass without it (apt-get install graphviz).
  REQUIRE(WEXITSTATUS(status) != 127);
  REQUIRE(WEXITSTATUS(status) == 0);
  // dot prints warnings on stderr, merged here: a clean graph has none.
  REQUIRE(out.rfind("<?xml", 0) == 0);
  return out;
}

}  // namespace retort::test
