#include "backend/url.h"

#include <filesystem>

#include "backend/backend.h"
#include "core/error.h"
#include "core/text.h"

namespace fs = std::filesystem;

namespace retort {

DatabaseUrl parse_database_url(std::string_view text, const std::string& source,
                               const std::string& base_dir) {
  UrlFailure fail = [&](const std::string& why) {
    std::string examples;
    for (const Backend* b : registered_backends())
      for (auto e : b->url_examples())
        examples += (examples.empty() ? "" : ", ") + std::string(e);
    return Error("invalid database URL '" + redact_url_input(text) + "' from " + source + ": " +
                 why)
        .hint("examples: " + examples);
  };
  std::string scheme = url_scheme(text, fail);
  // "postgresql+psycopg2" is accepted for users coming from SQLAlchemy.
  const Backend* b = backend_for_scheme(scheme.substr(0, scheme.find('+')));
  if (!b)
    throw Error("unknown database URL scheme '" + scheme + "' from " + source)
        .hint("retort speaks " + spoken_schemes());
  DatabaseUrl url =
      parse_url_parts(text, source, base_dir, std::string(b->name()), b->url_form(), fail);
  b->check_url(url, fail);
  return url;
}

std::optional<DatabaseUrl> find_database_url(const Config& c, const UrlSources& s) {
  if (!s.cli.empty()) return parse_database_url(s.cli, "--url");
  if (!s.env.empty()) return parse_database_url(s.env, "DATABASE_URL in the environment");
  if (!c.dir.empty()) {
    fs::path dotenv = fs::path(c.dir) / ".env";
    std::error_code ec;
    // Anything there is read, so that a FIFO or device is refused by name
    // rather than passed over.
    if (fs::exists(dotenv, ec) && !fs::is_directory(dotenv, ec))
      if (auto v = read_dotenv_value(read_file(dotenv.string()), "DATABASE_URL", dotenv.string());
          v && !v->empty())
        return parse_database_url(*v, "DATABASE_URL in " + dotenv.string(), c.dir);
  }
  if (c.database_url) return parse_database_url(*c.database_url, c.where("database_url"), c.dir);
  if (!s.fallback.empty()) return parse_database_url(s.fallback, "--default-url");
  return std::nullopt;
}

DatabaseUrl choose_database_url(const Config& c, const UrlSources& s) {
  if (auto url = find_database_url(c, s)) return *url;
  throw Error("no database URL is set")
      .hint(
          "pass --url, set DATABASE_URL, or put database_url = sqlite:///app.db under [retort] "
          "in " +
          (c.path.empty() ? std::string("retort.ini") : c.path));
}

}  // namespace retort
