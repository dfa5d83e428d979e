// The tests' backend fixtures (tests/support/backend_fixture.h) match the
// product's registry, and a text one fixture has, every fixture has: a new
// backend shows what it lacks here, before any suite takes a wrong path.
#include <catch2/catch.hpp>

#include <algorithm>
#include <iterator>

#include "backend_fixture.h"

using namespace retort;
using namespace retort::test;

namespace {

std::vector<std::string> drain(Catch::Generators::GeneratorWrapper<std::string> g) {
  std::vector<std::string> out{g.get()};
  while (g.next())
    out.push_back(g.get());
  return out;
}

}  // namespace

TEST_CASE("each registered backend has a test fixture of its name") {
  const auto& fixtures = backend_fixtures();
  REQUIRE(fixtures.size() == registered_backends().size());
  for (size_t i = 0; i < fixtures.size(); ++i) {
    CHECK(fixtures[i]->name() == registered_backends()[i]->name());
    CHECK(&fixtures[i]->backend() == registered_backends()[i]);
  }
  CHECK(drain(all_backends()).size() == fixtures.size());
}

TEST_CASE("every backend fixture knows every text key") {
  std::vector<std::string> all;
  for (const BackendFixture* f : backend_fixtures())
    for (const auto& k : f->keys())
      all.push_back(k);
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  for (const BackendFixture* f : backend_fixtures()) {
    auto keys = f->keys();
    std::vector<std::string> missing;
    std::set_difference(all.begin(), all.end(), keys.begin(), keys.end(),
                        std::back_inserter(missing));
    INFO("the " << f->name() << " fixture lacks: " << Catch::Detail::stringify(missing));
    CHECK(missing.empty());
  }
}

TEST_CASE("backends_with() picks backends by the registry's capabilities") {
  std::vector<std::string> expected;
  for (const Backend* b : registered_backends())
    if (b->capabilities().advisory_locks) expected.emplace_back(b->name());
  REQUIRE_FALSE(expected.empty());
  CHECK(drain(backends_with(&Capabilities::advisory_locks)) == expected);
}
