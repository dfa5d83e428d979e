#include "core/database_url.h"

#include "core/error.h"
#include "core/text.h"

namespace retort {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// Where the password sits in "scheme://user:password@host/...", read as
// SQLAlchemy does: the user name has no ':' or '/', the password runs to the
// last '@' (so an unencoded '/', '?' or '@' in it stays part of it).
// Returns {start, length} of the password within `rest`, or npos.
std::pair<size_t, size_t> password_span(std::string_view rest, bool whole_url) {
  // In free text a URL ends at whitespace or a quote; a URL given as such
  // runs to its end, so a raw space in the password is still the password.
  size_t url_end = whole_url ? rest.size() : rest.find_first_of(" \t\r\n'\"");
  std::string_view url = rest.substr(0, url_end);
  size_t at = url.rfind('@');
  if (at == std::string_view::npos) return {std::string_view::npos, 0};
  // The password starts after the first ':' before that '@', even when the
  // user name holds a stray '/' ("me/x:secret@host"): better to mask too much.
  size_t c = url.find(':');
  if (c == std::string_view::npos || c >= at) return {std::string_view::npos, 0};
  return {c + 1, at - c - 1};
}

}  // namespace

std::string redact_url_text(std::string_view text) {
  std::string out(text);
  size_t scheme = out.find("://");
  while (scheme != std::string::npos) {
    size_t start = scheme + 3;
    auto [pw, len] = password_span(std::string_view(out).substr(start), false);
    if (pw != std::string_view::npos) out.replace(start + pw, len, "***");
    scheme = out.find("://", start);
  }
  return out;
}

std::string DatabaseUrl::redacted() const {
  if (backend == "sqlite")
    return "sqlite:///" + (database.empty() ? std::string(":memory:") : database);
  std::string out = backend + "://";
  // A password given as ?password=... is masked there, not shown as userinfo.
  bool in_query = false;
  for (const auto& [k, v] : query)
    in_query |= k == "password";
  const bool userinfo_password = has_password && (!password.empty() || !in_query);
  if (!user.empty() || userinfo_password) {
    out += user;
    if (userinfo_password) out += ":***";
    out += "@";
  }
  out += host.find(':') == std::string::npos ? host : "[" + host + "]";
  if (!port.empty()) out += ":" + port;
  out += "/" + database;
  for (size_t i = 0; i < query.size(); ++i)
    out += (i ? "&" : "?") + query[i].first + "=" +
           (query[i].first == "password" ? std::string("***") : query[i].second);
  return out;
}

DatabaseUrl parse_database_url(std::string_view text, const std::string& source,
                               const std::string& base_dir) {
  auto fail = [&](const std::string& why) {
    return Error("invalid database URL '" + redact_url_text(text) + "' from " + source + ": " + why)
        .hint(
            "examples: sqlite:///app.db, sqlite:////var/lib/app.db, "
            "postgresql://user:password@localhost:5432/app");
  };
  DatabaseUrl url;
  url.source = source;
  size_t sep = text.find("://");
  if (sep == std::string_view::npos || sep == 0) throw fail("it has no scheme:// part");
  // "postgresql+psycopg2" is accepted for users coming from SQLAlchemy.
  std::string scheme = to_lower(text.substr(0, sep));
  std::string dialect = scheme.substr(0, scheme.find('+'));
  if (dialect == "sqlite") {
    url.backend = "sqlite";
  } else if (dialect == "postgresql" || dialect == "postgres") {
    url.backend = "postgresql";
  } else {
    throw Error("unknown database URL scheme '" + scheme + "' from " + source)
        .hint("retort speaks sqlite:// and postgresql:// (also postgres://)");
  }
  std::string_view rest = text.substr(sep + 3);
  // The user and password come first, so a '?' inside the password is not
  // taken for the start of the query.
  if (url.backend != "sqlite") {
    if (auto [pw, len] = password_span(rest, true); pw != std::string_view::npos) {
      url.user = percent_decode(rest.substr(0, pw - 1));
      url.password = percent_decode(rest.substr(pw, len));
      url.has_password = true;
      rest = rest.substr(pw + len + 1);
    } else if (size_t at = rest.substr(0, rest.find_first_of("/?")).find('@');
               at != std::string_view::npos) {
      url.user = percent_decode(rest.substr(0, at));
      rest = rest.substr(at + 1);
    }
  }
  std::string_view query;
  if (auto q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  for (const auto& kv : split_list(query, '&')) {
    auto eq = kv.find('=');
    if (eq == std::string::npos) throw fail("query parameter '" + kv + "' has no '='");
    url.query.emplace_back(percent_decode(kv.substr(0, eq)), percent_decode(kv.substr(eq + 1)));
  }

  if (url.backend == "sqlite") {
    // sqlite:// and sqlite:///:memory: are in memory; sqlite:///x is relative,
    // sqlite:////x absolute, exactly as SQLAlchemy reads them.
    if (rest.empty()) return url;
    if (rest[0] != '/') throw fail("a SQLite URL has no host: write sqlite:///path/to/file.db");
    std::string path = percent_decode(rest.substr(1));
    // SQLAlchemy's ?uri=true form names the file as a URI: sqlite:///file:app.db?mode=ro&uri=true.
    for (const auto& [k, v] : url.query)
      if (k == "uri" && v == "true" && path.rfind("file:", 0) == 0) path = path.substr(5);
    if (path.empty() || path == ":memory:") {
      url.database = path;
      return url;
    }
    if (path[0] != '/' && !base_dir.empty()) path = base_dir + "/" + path;
    url.database = path;
    return url;
  }

  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  url.database = slash == std::string_view::npos ? "" : percent_decode(rest.substr(slash + 1));
  // [::1]:5432, host:5432 or host
  std::string_view host = authority;
  if (!authority.empty() && authority[0] == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos) throw fail("unclosed '[' in the host");
    host = authority.substr(1, close - 1);
    auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') throw fail("junk after the IPv6 address");
      url.port = after.substr(1);
    }
  } else if (auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    url.port = authority.substr(colon + 1);
  }
  url.host = percent_decode(host);
  for (char c : url.port)
    if (c < '0' || c > '9') throw fail("port '" + url.port + "' is not a number");
  for (const auto& [k, v] : url.query)
    if (k == "password") url.has_password = true;
  return url;
}

}  // namespace retort
