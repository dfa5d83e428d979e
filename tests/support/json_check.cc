#include "json_check.h"

#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdio>

#include "temp_dir.h"

namespace retort::test {

namespace {

// Duplicate keys and NaN/Infinity are valid to Python but not to JSON's RFC.
const char* const kChecker = R"(import json, sys
def no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError('duplicate key in ' + repr(keys))
    return dict(pairs)
def no_constants(name):
    raise ValueError('not JSON: ' + name)
text = open(sys.argv[1], 'rb').read().decode('utf-8')
data = json.loads(text, object_pairs_hook=no_duplicates, parse_constant=no_constants)
expr = open(sys.argv[2], encoding='utf-8').read()
sys.stdout.write(json.dumps(eval(expr), sort_keys=True, ensure_ascii=False))
)";

}  // namespace

std::string json_eval(const std::string& json, const std::string& python_expr) {
  TempDir dir;
  write_text(dir / "out.json", json);
  write_text(dir / "expr.py", python_expr);
  write_text(dir / "check.py", kChecker);
  std::string cmd = "python3 '" + (dir / "check.py") + "' '" + (dir / "out.json") + "' '" +
                    (dir / "expr.py") + "' 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string result;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, pipe)) > 0;)
    result.append(buf, n);
  int status = pclose(pipe);
  INFO("python3 on:\n" << json << "\nexpression: " << python_expr << "\nsaid: " << result);
  REQUIRE(WIFEXITED(status));
  // 127: the shell found no python3; the test must not pass without it.
  REQUIRE(WEXITSTATUS(status) != 127);
  REQUIRE(WEXITSTATUS(status) == 0);
  return result;
}

}  // namespace retort::test
