// Runs code that must throw retort::Error and hands the error back, so a test
// can check its text, file, line and exit code, not only that it threw.
#pragma once

#include <catch2/catch.hpp>
#include <stdexcept>
#include <utility>

#include "core/error.h"

namespace retort::test {

template <class F>
Error expect_error(F&& f) {
  try {
    std::forward<F>(f)();
  } catch (const Error& e) {
    return e;
  }
  FAIL("expected retort::Error, but nothing was thrown");
  throw std::logic_error("unreachable");
}

}  // namespace retort::test
