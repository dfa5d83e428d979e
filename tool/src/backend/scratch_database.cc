// The scratch databases of `retort test`: what a backend gets unless it
// knows better. Told apart by the URL's form, never by a backend's name.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <random>

#include "backend/backend.h"

namespace retort {

namespace {

std::string random_hex(size_t n) {
  std::random_device rd;
  static const char digits[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; ++i)
    out += digits[rd() % 16];
  return out;
}

// A file in a directory of its own under $TMPDIR.
class ScratchFile final : public ScratchDatabase {
 public:
  explicit ScratchFile(const DatabaseUrl& near) : url_(near) {
    const char* tmp = std::getenv("TMPDIR");
    std::string base = tmp && *tmp ? tmp : "/tmp";
    std::string tmpl = base + "/retort-scratch-XXXXXX";
    if (!mkdtemp(tmpl.data()))
      throw Error("cannot create a scratch directory for retort test under " + base)
          .hint("set TMPDIR to a writable directory")
          .resource();
    dir_ = tmpl;
    url_.database = dir_ + "/scratch.db";
    url_.query.clear();
    url_.source = "retort test's scratch database";
  }
  ~ScratchFile() override {
    for (const char* suffix : {"", "-journal", "-wal", "-shm"})
      std::remove((url_.database + suffix).c_str());
    ::rmdir(dir_.c_str());
  }
  const DatabaseUrl& url() const override { return url_; }

 private:
  DatabaseUrl url_;
  std::string dir_;
};

// CREATE DATABASE beside the one `near` names, DROP DATABASE after.
class ScratchServerDatabase final : public ScratchDatabase {
 public:
  explicit ScratchServerDatabase(const DatabaseUrl& near) : near_(near), url_(near) {
    url_.database = "retort_test_" + random_hex(12);
    url_.source = "retort test's scratch database";
    DriverOptions o;
    o.create_if_missing = false;
    auto d = open_driver(near_, o);
    if (!d)
      throw Error("retort test makes its scratch databases beside " + near_.redacted() +
                  ", which does not exist");
    try {
      d->execute("CREATE DATABASE " + url_.database, {});
    } catch (Error& e) {
      e.hint(
          "retort test creates a scratch database for each revision and drops it after: the "
          "user of " +
          near_.redacted() + " needs the privilege to create databases");
      throw;
    }
  }
  ~ScratchServerDatabase() override {
    try {
      DriverOptions o;
      o.create_if_missing = false;
      if (auto d = open_driver(near_, o)) d->execute("DROP DATABASE " + url_.database, {});
    } catch (const Error& e) {
      std::fprintf(stderr, "retort: warning: could not drop the scratch database %s: %s\n",
                   url_.database.c_str(), redact_secrets(e.what()).c_str());
    }
  }
  const DatabaseUrl& url() const override { return url_; }

 private:
  DatabaseUrl near_, url_;
};

}  // namespace

std::unique_ptr<ScratchDatabase> Backend::scratch_database(const DatabaseUrl& near) const {
  if (near.form == UrlForm::kFilePath) return std::make_unique<ScratchFile>(near);
  return std::make_unique<ScratchServerDatabase>(near);
}

}  // namespace retort
