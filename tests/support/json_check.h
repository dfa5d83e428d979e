// Reads JSON that retort printed with Python's own parser (python3's json
// module), so a test checks that the output parses, not only how it looks.
#pragma once

#include <string>

namespace retort::test {

// Parses `json` strictly (no NaN, no duplicate keys) as `data` and returns
// json.dumps(<python_expr>, sort_keys=True, ensure_ascii=False), e.g.
// json_eval(out, "data['heads'][0]['revision']") == "\"r0002\"". Fails the
// test, with Python's message, when the text is not valid JSON or the
// expression fails; fails loudly when python3 is missing.
std::string json_eval(const std::string& json, const std::string& python_expr);

}  // namespace retort::test
